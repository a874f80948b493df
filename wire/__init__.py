"""The wire contracts the deployables share, and nothing else.

The gateway, the subgraphs and the import worker are separate deployables that never import
each other; what must agree byte for byte between them lives here (ADR 0310):

- :mod:`wire.principal`: the signed-principal headers (gateway and worker sign, subgraphs
  verify); :mod:`wire.forwarding`: their settings; :mod:`wire.secrets`: reading a shared secret.
- :mod:`wire.jobs`: the import job queue (jobs, chunks, the backend protocol, its in-process and
  Redis Streams backends, the worker's options), written by the gateway, read by workers.
- :mod:`wire.redis_client`: the Redis connection settings and client factory.

``wire`` imports no deployable (``gateway``, ``subgraphs``, ``worker``, ``ordergate``); a test
(tests/unit/architecture/test_import_contracts.py) holds it to that.
"""

__all__: list[str] = []
