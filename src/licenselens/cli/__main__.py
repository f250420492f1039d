"""``python -m licenselens.cli``: the same command line as ``licenselens``."""

from licenselens.cli import app

app(prog_name="licenselens")
