"""licenselens: reads software and AI licenses clause by clause."""

__version__ = "0.1.0"
