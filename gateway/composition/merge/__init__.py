"""Merging validated subgraphs into one supergraph schema."""

from gateway.composition.merge.merger import MergedSupergraph, merge_subgraphs

__all__ = ["MergedSupergraph", "merge_subgraphs"]
