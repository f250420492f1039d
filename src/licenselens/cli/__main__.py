"""``python -m licenselens.cli``: the same command line as ``licenselens``."""

from licenselens.__main__ import main

main()
