"""Cost annotations (``@listSize``) shared by the subgraphs, for the gateway's demand control.

Connections are sized by their ``first`` argument through ``edges``; lists bounded by the
domain carry an assumed size (a typical upper figure, not the hard maximum), so that static cost
estimates stay close to what responses really return.
"""

from __future__ import annotations

from strawberry.federation.schema_directives import ListSize

__all__ = ["PAGED", "assumed"]

#: A Relay connection taking ``first``: cost scales with ``first`` through ``edges``.
PAGED = ListSize(
    assumed_size=None,
    slicing_arguments=["first"],
    sized_fields=["edges"],
    require_one_slicing_argument=False,
)


def assumed(size: int) -> ListSize:
    """A plain list the domain keeps small: counted as ``size`` items."""
    return ListSize(
        assumed_size=size,
        slicing_arguments=None,
        sized_fields=None,
        require_one_slicing_argument=None,
    )
