"""The federation engine over one supergraph: one door with three steps.

- :meth:`Engine.prepare`: parse under the hardening limits and validate, once per distinct
  document (then :meth:`Engine.coerce` the variable values per request);
- :meth:`Engine.plan`: the query plan and response shape for these variables, once per
  combination of conditions, override labels and authorization outcome;
- :meth:`Engine.run`: execute the plan against the subgraphs and shape the response.

Nothing calls the engine but the request pipeline (``gateway.pipeline``), which runs the
stages between these steps; the pipeline with no stages is the bare engine. The request and
result types shared by the HTTP edge, the pipeline and the engine live in
:mod:`gateway.engine.types` (import them from there: this package's ``__init__`` imports
nothing, so the types stay cheap to import for every feature); :mod:`gateway.engine.slot`
swaps the served pipeline on reloads. The engine itself is :mod:`gateway.engine.core`.
"""
