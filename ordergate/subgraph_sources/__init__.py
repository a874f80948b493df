"""Where ``ordergate compose`` gets the subgraph SDLs it gives to composition: the subgraph list
(``schema/subgraphs.yaml``, :mod:`.config`) and the SDLs themselves, from snapshot files or
from the running subgraphs (``--live``, :mod:`.sources`).

This is the I/O side of composition: :mod:`gateway.composition` itself only parses the text it
is given (ADR 0313).
"""

__all__: list[str] = []
