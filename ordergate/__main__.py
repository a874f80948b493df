"""``python -m ordergate``: the same as the ``ordergate`` command."""

from ordergate.cli import main

main()
