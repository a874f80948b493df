"""The HTTP edge: GraphQL over HTTP, GraphiQL, health and readiness."""

from gateway.http.endpoint import GraphQLEndpoint
from gateway.http.health import ReadinessProbe, health

__all__ = ["GraphQLEndpoint", "ReadinessProbe", "health"]
