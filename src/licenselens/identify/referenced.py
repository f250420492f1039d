"""Following the files a notice names: "either of the licenses found in LICENSE.APACHE or LICENSE.BSD".

A short notice that points at other files says which license applies only
once those files are read. When the folder the text came from is known, each
file named in a notice's region that exists beside the text is identified in
turn (one level deep, never the text itself), and the notice gets a resolved
expression: the expressions of the files it names, joined by the notice's own
operator (OR for a choice, AND otherwise). When the files hold what the
notice names, the notice's own expression stands (it may say "or later");
when a named file holds no known license, the notice stays unresolved. A scan
of a package folder can pass each file's path as ``references_from`` to
``identify`` so that a pointer file reports the licenses it points at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from licenselens.errors import InputError
from licenselens.model import Identification, LicenseMatch, ReferencedFile

# File names as notices write them: an upper-case stem ("LICENSE", "COPYING.LESSER",
# "LICENSE-APACHE") or any spelling with an extension ("license.txt").
_FILE_NAME = re.compile(
    r"(?<![\w.\-/])((?:[\w\-]+[._\-])?(?:LICEN[CS]ES?|COPYING|NOTICE|COPYRIGHT)(?:[._\-][\w\-]+)*"
    r"|[\w\-]*(?i:licen[cs]es?|copying|notice)[\w\-]*\.(?:txt|md|rst|apache|bsd|mit|gpl|lgpl|apache2|apache-2\.0))"
    r"(?![\w\-/])"
)
# Files named by one notice that are followed, at most.
MAX_REFERENCED = 8


def file_names(text: str) -> list[str]:
    """File names mentioned in ``text``, in order, without repeats ("LICENSE.APACHE", "COPYING")."""
    seen: list[str] = []
    for found in _FILE_NAME.finditer(text):
        name = found.group(1).rstrip(".")
        if name and name not in seen:
            seen.append(name)
    return seen


def _locate(folder: Path, name: str, own: Path | None) -> Path | None:
    """The file ``name`` in ``folder`` (exact name first, then ignoring case), never the text itself."""
    candidate = folder / name
    if not candidate.is_file():
        lowered = name.lower()
        try:
            candidate = next((p for p in sorted(folder.iterdir()) if p.name.lower() == lowered and p.is_file()), None)
        except OSError:
            return None
        if candidate is None:
            return None
    if own is not None and candidate.resolve() == own.resolve():
        return None
    return candidate


def _expression_of(matches: list[LicenseMatch]) -> tuple[str, str] | None:
    """The ScanCode and SPDX expressions of a file: its distinct licenses, AND-ed, in document order."""
    keys: list[str] = []
    spdx: list[str] = []
    for match in matches:
        if match.key not in keys:
            keys.append(match.key)
            spdx.append(match.spdx or f"LicenseRef-scancode-{match.key}")
    if not keys:
        return None
    return _join(keys, "AND"), _join(spdx, "AND")


def _join(parts: list[str], operator: str) -> str:
    if len(parts) == 1:
        return parts[0]
    return f" {operator} ".join(f"({p})" if " " in p and " WITH " not in p else p for p in parts)


def _keys(expression: str) -> set[str]:
    return {w for w in re.findall(r"[^\s()]+", expression) if w.upper() not in ("AND", "OR", "WITH")}


def _confirms(notice_key: str, file_keys: list[str]) -> bool:
    """Whether every license in the named files is one the notice names (itself or its "or later" grant)."""
    named = _keys(notice_key)
    return all(k in named or f"{k}-plus" in named for key in file_keys for k in _keys(key))


def _operator(key: str) -> str:
    """A notice offering a choice ("bsd-new OR apache-2.0") points at alternatives; any other at parts."""
    words = {w.upper() for w in key.split()}
    return "OR" if "OR" in words and "AND" not in words else "AND"


def follow_references(
    result: Identification,
    original: str,
    path: str | os.PathLike[str],
    identify_file: Callable[[Path], Identification | None],
) -> Identification:
    """Fill ``referenced`` and ``resolved_key``/``resolved_spdx`` of every notice naming files beside ``path``.

    ``path`` is the text's own file (or its folder); ``identify_file`` identifies
    one named file (it must not follow references itself: one level only).
    """
    location = Path(path)
    own = None if location.is_dir() else location
    folder = location if own is None else location.parent
    if not folder.is_dir():
        return result
    matches = []
    for match in result.matches:
        if not match.is_notice:
            matches.append(match)
            continue
        referenced: list[ReferencedFile] = []
        for name in file_names(original[match.start : match.end])[:MAX_REFERENCED]:
            found = _locate(folder, name, own)
            if found is None:
                continue
            try:
                other = identify_file(found)
            except InputError:
                continue  # unreadable, binary or too large: not followed
            expression = _expression_of(other.matches) if other is not None else None
            referenced.append(ReferencedFile(name=name, path=str(found),
                                             key=expression[0] if expression else None,
                                             spdx=expression[1] if expression else None))
        # A named file with no known license leaves the notice unresolved: half a choice is no answer.
        resolved = referenced if all(r.key for r in referenced) else []
        if not referenced:
            matches.append(match)
            continue
        update: dict = {"referenced": referenced}
        if resolved and _confirms(match.key, [r.key for r in resolved]):  # type: ignore[misc]
            # The files hold what the notice names: the notice's own expression says more
            # (a GPL-3.0 text in COPYING under a notice granting "version 3 or later").
            update["resolved_key"], update["resolved_spdx"] = match.key, match.spdx
        elif resolved:
            operator = _operator(match.key)
            update["resolved_key"] = _join([r.key for r in resolved], operator)  # type: ignore[misc]
            update["resolved_spdx"] = _join([r.spdx for r in resolved], operator)  # type: ignore[misc]
        matches.append(match.model_copy(update=update))
    return result.model_copy(update={"matches": matches})
