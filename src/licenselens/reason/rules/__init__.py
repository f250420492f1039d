"""The registry of freedom rules: every ``Rule`` subclass defined in a module of
this package, one rule a module, ordered by freedom then code. Adding a rule is
adding a module."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from licenselens.reason.rule import Rule
from licenselens.taxonomy import Freedom

_ORDER = {f.value.upper(): i for i, f in enumerate(Freedom)}


def _sort_key(rule: type[Rule]) -> tuple[int, str]:
    group, _, number = rule.code.partition("-")
    return _ORDER.get(group, len(_ORDER)), number


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by freedom (use, study, modify, share) then code."""
    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Rule) and obj.__module__ == module.__name__ and "code" in vars(obj):
                if obj.code in found:
                    raise RuntimeError(f"two rules share the code {obj.code}")
                found[obj.code] = obj
    return tuple(sorted(found.values(), key=_sort_key))


def get_rule(ref: str) -> type[Rule]:
    """Look a rule up by code (``USE-001``, any case), dotted name (``use.field-of-use``)
    or short name (``field-of-use``); ``KeyError`` when none matches."""
    wanted = ref.strip().lower()
    for rule in all_rules():
        if wanted in (rule.code.lower(), rule.name.lower(), rule.short_name().lower()):
            return rule
    raise KeyError(ref)
