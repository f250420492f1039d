"""Compatibility: may these licenses be combined under that one, and may this model be released under it?

Each license is analysed (its clauses and terms), read into a compatibility
profile (``profile``), and pairs are decided by rules over the two profiles
(``rules``), combined over SPDX ``OR``/``AND``/``WITH`` (``engine``), and
confirmed or overridden by published facts with their source (``facts``).
"""

from licenselens.compat.engine import USES, compat

__all__ = ["USES", "compat"]
