"""A subgraph as composition sees it: name, routing URL, schema model and its links."""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.composition.links import Links
from gateway.composition.metadata import FederationMetadata
from gateway.composition.model import Directive, Schema
from gateway.composition.specs import Version

__all__ = ["Subgraph"]


@dataclass(eq=False, slots=True)
class Subgraph:
    """One subgraph ready for validation and merging."""

    name: str
    url: str
    schema: Schema
    links: Links
    #: the federation version after upgrade (Federation 1 subgraphs become 2.4)
    upgraded_from_fed1: bool = False
    _metadata: FederationMetadata | None = field(default=None, repr=False)

    @property
    def federation_version(self) -> Version | None:
        """The linked federation version (``None`` for a Federation 1 subgraph not upgraded)."""
        return self.links.federation_version

    @property
    def is_fed2(self) -> bool:
        """Whether the subgraph is (now) a Federation 2 subgraph."""
        return self.links.is_fed2

    def metadata(self) -> FederationMetadata:
        """Cached federation facts (externals, shareables, used fields); see :meth:`invalidate`."""
        if self._metadata is None:
            self._metadata = FederationMetadata(self.schema, self.is_fed2)
        return self._metadata

    def invalidate(self) -> None:
        """Forget cached metadata after the schema was modified."""
        self._metadata = None

    def all_directives(self) -> list[Directive]:
        """Every applied directive in the schema, in a stable order."""
        schema = self.schema
        found = list(schema.schema_directives)
        for owner in schema.types.values():
            found.extend(owner.directives)
            for f in owner.fields.values():
                found.extend(f.directives)
                for arg in f.args.values():
                    found.extend(arg.directives)
            for value in owner.values.values():
                found.extend(value.directives)
        return found
