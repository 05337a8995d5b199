"""``python -m baton`` runs the ``baton`` command."""

from baton.service.cli import app

app()
