"""What every subgraph shares: db, unit of work, errors, context, app factory, settings."""

__all__: list[str] = []
