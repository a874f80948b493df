"""The request lookup: a record per request, kept for a day, read back by its correlation id
by the client that made it (docs/observability.md, ADRs 1113-1114).

- :mod:`.settings`: ``observability.request_lookup.*``;
- :mod:`.record`: the record built from a finished request's observation (variables redacted);
- :mod:`.store`: where records are kept (in process, or Redis);
- :mod:`.writer`: writes records after the response has gone, with a bounded backlog;
- :mod:`.query`: who may read a record (the store and query logic any API can reuse);
- :mod:`.routes`: ``GET /requests/{id}``.
"""
