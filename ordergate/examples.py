"""Example operations shown in GraphiQL and the README."""

from __future__ import annotations

__all__ = ["CROSS_SUBGRAPH_QUERY"]

#: One query that crosses all four subgraphs: customer -> orders -> lines -> product stock
#: (inventory), payments and balance due (payments), shipments -> tracking events (shipments).
CROSS_SUBGRAPH_QUERY = """\
# One query, four subgraphs: orders, inventory, payments, shipments.
query CustomerOrders {
  customers(first: 1) {
    edges {
      node {
        name
        email
        orders(first: 3) {
          totalCount
          edges {
            node {
              number
              status
              channel
              total { amount currency }
              lines {
                sku
                quantity
                product {
                  name
                  availableQuantity
                  stock { warehouseCode available }
                }
                availability { available fulfillable }
              }
              payments {
                status
                processor
                capturedAmount { amount currency }
                method {
                  __typename
                  ... on CardPayment { brand last4 }
                }
              }
              balanceDue { amount currency }
              shipments {
                carrier
                trackingNumber
                status
                events { status occurredAt location }
              }
            }
          }
        }
      }
    }
  }
}
"""
