"""The scan engine: sources ─► license texts ─► analyses (deduped, cached, in parallel) ─► packages.

Every text is read once, hashed (SHA-256 of the decoded text) and analysed
once per distinct hash: 300 copies of the MIT license cost one analysis, and a
second scan of the same tree reads every analysis from the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from licenselens.errors import InputError
from licenselens.model import (
    Agreement,
    Finding,
    FreedomVerdict,
    Identified,
    LicenseText,
    ScannedPackage,
    ScanStats,
    SkipNote,
    Verdict,
)
from licenselens.scan.interface import LicenseSource, Package, TextRef, reason_of

CACHE_NAMESPACE = "scan-text"
# Below this many texts to analyse, starting worker processes costs more than it saves.
MIN_TEXTS_FOR_POOL = 8
_VERDICT_ORDER = {Verdict.OPEN: 0, Verdict.RESTRICTED: 1, Verdict.CLOSED: 2}


@dataclass(frozen=True)
class TextAnalysis:
    """What the scan keeps of one analysis: enough for reports, small enough to cache."""

    identified: Identified | None
    verdict: Verdict
    freedoms: dict
    findings: list[Finding]

    def to_json(self) -> str:
        return json.dumps(
            {
                "identified": self.identified.model_dump(mode="json") if self.identified else None,
                "verdict": self.verdict.value,
                "freedoms": {str(k): v.model_dump(mode="json") for k, v in self.freedoms.items()},
                "findings": [f.model_dump(mode="json") for f in self.findings],
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, raw: str) -> TextAnalysis:
        data = json.loads(raw)
        return cls(
            identified=Identified.model_validate(data["identified"]) if data["identified"] else None,
            verdict=Verdict(data["verdict"]),
            freedoms={k: FreedomVerdict.model_validate(v) for k, v in data["freedoms"].items()},
            findings=[Finding.model_validate(f) for f in data["findings"]],
        )


#: Turns a decoded text into its analysis; the default runs identify and the analyze pipeline.
Analyser = Callable[[str], TextAnalysis]


def analyse_text(text: str) -> TextAnalysis:
    """Identify (explains) and analyse (decides) one license text."""
    from licenselens.model import Source
    from licenselens.pipeline import analyze_text

    identified = identify_text(text)
    source = Source(path=None, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    analysis = analyze_text(text, source=source, identified=identified)
    return TextAnalysis(analysis.identified, analysis.verdict, dict(analysis.freedoms), list(analysis.findings))


def identify_text(text: str) -> Identified | None:
    """The nearest known license of a text, or None when nothing is near enough."""
    from licenselens.identify import best_match

    return best_match(text)


def _analyse_to_json(text: str) -> str:
    # Top-level so worker processes can import it; JSON crosses the process boundary cheaply.
    try:
        return analyse_text(text).to_json()
    except InputError as exc:
        return json.dumps({"error": exc.reason})


@cache
def analysis_version() -> str:
    """Part of every cache key: the package version and a hash of the shipped classifier model."""
    import licenselens

    digest = hashlib.sha256(licenselens.__version__.encode())
    try:
        from licenselens.classify.predictor import model_dir

        for name in sorted(p.name for p in model_dir().iterdir() if p.is_file()):
            digest.update(name.encode())
            digest.update((model_dir() / name).read_bytes())
    except (ImportError, OSError, FileNotFoundError):
        pass
    return f"{licenselens.__version__}:{digest.hexdigest()[:16]}"


@dataclass
class Collected:
    packages: list[Package] = field(default_factory=list)
    skipped: list[SkipNote] = field(default_factory=list)


def collect(sources: Iterable[LicenseSource]) -> Collected:
    """Run every source; a source that fails on a hostile file leaves a skip note, not a crash."""
    out = Collected()
    for source in sources:
        try:
            for found in source.collect():
                (out.packages if isinstance(found, Package) else out.skipped).append(found)
        except InputError:
            raise
        except (OSError, ValueError, RecursionError) as exc:
            where = getattr(source, "path", None) or getattr(source, "folder", None) or source.name
            out.skipped.append(SkipNote(path=str(where), reason=f"{type(exc).__name__}: {exc}"))
    return out


@dataclass
class ReadText:
    ref: TextRef
    display: str
    sha256: str | None
    error: str | None = None


def read_texts(packages: list[Package], root: Path | None) -> tuple[list[list[ReadText]], dict[str, str], list[SkipNote]]:
    """Read every license text; return per-package texts, the distinct texts by hash, skip notes."""
    from licenselens.text import decode, read_input

    by_hash: dict[str, str] = {}
    skipped: list[SkipNote] = []
    per_package: list[list[ReadText]] = []
    memo: dict[str, ReadText] = {}
    for package in packages:
        texts: list[ReadText] = []
        for ref in package.texts:
            display = display_path(ref.path, root)
            if ref.text is not None:
                text = ref.text
            else:
                key = str(ref.path)
                if key in memo:
                    texts.append(memo[key])
                    continue
                try:
                    _, data = read_input(str(ref.path))
                    text = decode(data, str(ref.path))
                except InputError as exc:
                    skipped.append(SkipNote(path=display, reason=exc.reason))
                    memo[key] = ReadText(ref, display, None, exc.reason)
                    texts.append(memo[key])
                    continue
                except OSError as exc:
                    skipped.append(SkipNote(path=display, reason=reason_of(exc)))
                    memo[key] = ReadText(ref, display, None, reason_of(exc))
                    texts.append(memo[key])
                    continue
            if not text.strip():
                skipped.append(SkipNote(path=display, reason="empty text"))
                texts.append(ReadText(ref, display, None, "empty text"))
                continue
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            by_hash.setdefault(sha, text)
            item = ReadText(ref, display, sha)
            if ref.text is None:
                memo[str(ref.path)] = item
            texts.append(item)
        per_package.append(texts)
    return per_package, by_hash, skipped


def display_path(path: Path | str, root: Path | None) -> str:
    """A path relative to the scan root when inside it (stable across machines), else as is."""
    if isinstance(path, str) and "#" in path:
        return path
    p = Path(path)
    if root is not None:
        # Lexical only: resolving symlinks could raise on a loop.
        try:
            return p.relative_to(root).as_posix()
        except ValueError:
            pass
        try:
            return Path(os.path.abspath(p)).relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            pass
    return p.as_posix()


def analyse_all(
    texts: dict[str, str],
    *,
    cache=None,
    jobs: int = 1,
    analyser: Analyser | None = None,
    progress: bool = False,
) -> tuple[dict[str, TextAnalysis | str], int]:
    """Analyse each distinct text once (cache first); return results by hash (or an error) and the count computed."""
    results: dict[str, TextAnalysis | str] = {}
    version = analysis_version()
    keys = {sha: f"{sha}:{version}" for sha in texts}
    if cache is not None and keys:
        for sha, raw in _cached(cache, keys).items():
            results[sha] = raw
    missing = sorted(sha for sha in texts if sha not in results)
    computed: dict[str, str] = {}
    if missing:
        computed = _compute(missing, texts, jobs=jobs, analyser=analyser, progress=progress)
        if cache is not None:
            cache.put_many(CACHE_NAMESPACE, {keys[sha]: raw for sha, raw in computed.items() if '"error"' not in raw[:12]})
        results.update(computed)
    decoded: dict[str, TextAnalysis | str] = {}
    for sha, raw in results.items():
        data = json.loads(raw) if isinstance(raw, str) else raw
        decoded[sha] = data["error"] if "error" in data else TextAnalysis.from_json(raw)
    return decoded, len(missing)


def _cached(cache, keys: dict[str, str]) -> dict[str, str]:
    found = cache.get_many(CACHE_NAMESPACE, list(keys.values()))
    return {sha: found[key] for sha, key in keys.items() if key in found}


def _compute(missing: list[str], texts: dict[str, str], *, jobs: int, analyser: Analyser | None,
             progress: bool) -> dict[str, str]:
    bar = _progress(len(missing)) if progress else None
    out: dict[str, str] = {}
    try:
        workers = jobs if jobs > 0 else (os.cpu_count() or 1)
        if analyser is None and workers > 1 and len(missing) >= MIN_TEXTS_FOR_POOL:
            workers = min(workers, len(missing))
            with ProcessPoolExecutor(max_workers=workers) as pool:
                chunk = max(1, len(missing) // (workers * 4))
                for sha, raw in zip(missing, pool.map(_analyse_to_json, [texts[s] for s in missing], chunksize=chunk)):
                    out[sha] = raw
                    if bar:
                        bar.advance()
        else:
            for sha in missing:
                if analyser is None:
                    out[sha] = _analyse_to_json(texts[sha])
                else:
                    try:
                        out[sha] = analyser(texts[sha]).to_json()
                    except InputError as exc:
                        out[sha] = json.dumps({"error": exc.reason})
                if bar:
                    bar.advance()
    finally:
        if bar:
            bar.stop()
    return out


class _Bar:
    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("analysing license texts"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            transient=True,
        )
        self._task = self._progress.add_task("analyse", total=total)
        self._progress.start()

    def advance(self) -> None:
        self._progress.advance(self._task)

    def stop(self) -> None:
        self._progress.stop()


def _progress(total: int) -> _Bar:
    return _Bar(total)


# --- packages ---------------------------------------------------------------------


def declared_to_spdx(raw: str | None) -> tuple[str | None, str | None]:
    """Normalize a declared license string to an SPDX expression; return ``(spdx, note)``."""
    if not raw or not raw.strip():
        return None, None
    try:
        from licenselens.declared import to_spdx
    except ImportError:
        from licenselens.expression import normalize_expression as to_spdx

    try:
        return to_spdx(raw), None
    except InputError as exc:
        return None, f"declared license {raw!r} is not an SPDX expression ({exc.reason})"


def build_package(package: Package, texts: list[ReadText], analyses: dict[str, TextAnalysis | str]) -> ScannedPackage:
    """Join what a source found with the analyses of its texts."""
    notes = list(package.notes)
    declared_spdx, note = declared_to_spdx(package.declared)
    if note:
        notes.append(note)
    license_texts: list[LicenseText] = []
    for item in texts:
        if item.sha256 is None:
            notes.append(f"{item.display}: {item.error}")
            continue
        result = analyses.get(item.sha256)
        if isinstance(result, TextAnalysis):
            license_texts.append(
                LicenseText(path=item.display, sha256=item.sha256, kind=item.ref.kind, identified=result.identified,
                            verdict=result.verdict, freedoms=result.freedoms,
                            findings=[_relocated(f) for f in result.findings])
            )
        else:
            license_texts.append(LicenseText(path=item.display, sha256=item.sha256, kind=item.ref.kind,
                                             error=result or "not analysed"))
    detected: list[str] = []
    for lt in license_texts:
        if lt.kind in ("license", "embedded") and lt.identified is not None:
            label = lt.identified.spdx or lt.identified.key
            if label not in detected:
                detected.append(label)
    verdicts = [lt.verdict for lt in license_texts if lt.verdict is not None]
    verdict = max(verdicts, key=_VERDICT_ORDER.__getitem__) if verdicts else None
    return ScannedPackage(
        name=package.name, version=package.version, source=package.source, location=package.location,
        resolved=package.resolved, declared=package.declared, declared_spdx=declared_spdx, detected=detected,
        agreement=agreement(declared_spdx, [lt.identified for lt in license_texts
                                           if lt.kind in ("license", "embedded") and lt.identified]),
        verdict=verdict, texts=license_texts, base_model=package.base_model, notes=notes,
    )


def _relocated(finding: Finding) -> Finding:
    return finding


def agreement(declared_spdx: str | None, identified: list[Identified]) -> Agreement:
    """Whether the licenses found in the texts are among those declared.

    AGREE when every identified text matches a declared license; DISAGREE when
    one matches none of them and all declared licenses are known; UNKNOWN when
    either side is missing or a declared license is one we cannot compare.
    """
    if not declared_spdx or not identified:
        return Agreement.UNKNOWN
    from licenselens import expression

    try:
        leaves = list(expression.leaves(expression.parse(declared_spdx, validate=False)))
    except InputError:
        return Agreement.UNKNOWN
    declared_keys: set[str] = set()
    opaque = False
    for leaf in leaves:
        key = expression.scancode_key(leaf)
        spelled = expression.to_string(leaf).lower()
        declared_keys.add(_squash(spelled))
        if key:
            declared_keys.add(_squash(key))
        else:
            opaque = True
        base = leaf.license if isinstance(leaf, expression.With) else leaf
        if isinstance(base, expression.License):
            # GPL-2.0-or-later declared, GPL-2.0 text found: the same license.
            declared_keys.add(_squash(base.id.removesuffix("-only").removesuffix("-or-later")))
    for item in identified:
        names = {_squash(item.key), _squash(item.spdx or "")} - {""}
        names |= {n.removesuffix("only").removesuffix("orlater").removesuffix("plus") for n in names}
        if names & declared_keys:
            continue
        if any(a and b and (a in b or b in a) and min(len(a), len(b)) >= 4 for a in names for b in declared_keys):
            continue
        return Agreement.UNKNOWN if opaque else Agreement.DISAGREE
    return Agreement.AGREE


def _squash(name: str) -> str:
    import re

    name = name.lower().removeprefix("licenseref-scancode-").removeprefix("licenseref-")
    return re.sub(r"[^a-z0-9]", "", name)


def stats(packages: list[ScannedPackage], unique: int, analysed: int) -> ScanStats:
    return ScanStats(packages=len(packages), texts=sum(len(p.texts) for p in packages), unique_texts=unique,
                     analysed=analysed)
