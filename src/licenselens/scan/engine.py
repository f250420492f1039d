"""The scan engine: sources ─► license texts ─► analyses (deduped, cached, in parallel) ─► packages.

Every text is read once, hashed (SHA-256 of the decoded text) and analysed
once per distinct hash: 300 copies of the MIT license cost one analysis, and a
second scan of the same tree reads every analysis from the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from licenselens.errors import InputError
from licenselens.resources import producer_digest
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
        return cls.from_data(json.loads(raw))

    @classmethod
    def from_data(cls, data: dict) -> TextAnalysis:
        """The analysis of ``to_json`` output already decoded."""
        return cls(
            identified=Identified.model_validate(data["identified"]) if data["identified"] else None,
            verdict=Verdict(data["verdict"]),
            freedoms={k: FreedomVerdict.model_validate(v) for k, v in data["freedoms"].items()},
            findings=[Finding.model_validate(f) for f in data["findings"]],
        )


#: Turns a decoded text into its analysis; the default runs identify and the analyze pipeline.
Analyser = Callable[[str], TextAnalysis]


def _analyse(text: str) -> tuple[TextAnalysis, bool]:
    # Also says whether the analysis may be shared with texts that differ only in copyright lines.
    from licenselens.model import Source
    from licenselens.pipeline import analyze_text

    source = Source(path=None, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    # The pipeline names the nearest known license from the text it has normalized for the analysis.
    analysis = analyze_text(text, source=source, identify=True)
    result = TextAnalysis(analysis.identified, analysis.verdict, dict(analysis.freedoms), list(analysis.findings))
    variable = _variable_spans(text)
    spans = [(t.start, t.end) for t in analysis.terms] + [(f.start, f.end) for f in analysis.findings]
    shareable = bool(variable) and not any(a < e and s < b for a, b in spans for s, e in variable)
    return result, shareable


def _analyse_to_json(text: str) -> str:
    # Top-level so worker processes can import it; JSON crosses the process boundary cheaply.
    try:
        result, shareable = _analyse(text)
    except InputError as exc:
        return json.dumps({"error": exc.reason})
    return json.dumps({"shareable": shareable, "result": result.to_json()})


# --- texts that differ only in their copyright lines -------------------------------
# Three hundred MIT licenses with three hundred copyright holders are one text to read:
# when the analysis of one touches none of its copyright lines (no term, no finding
# there), it holds for the others, with spans moved to their lines.

_COPYRIGHT_LINE = re.compile(r"^[ \t>#*/-]*(copyright\b|\(c\)\s|©|all rights reserved)", re.IGNORECASE)


def _variable_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in text.split("\n"):
        if _COPYRIGHT_LINE.match(line):
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def shape_key(text: str) -> str:
    """Equal for texts that are the same but for the content of their copyright lines."""
    lines = text.split("\n")
    masked = "\n".join("\x00" if _COPYRIGHT_LINE.match(line) else line for line in lines)
    return hashlib.sha256(masked.encode("utf-8")).hexdigest()


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts


def moved(result: TextAnalysis, source: str, target: str) -> TextAnalysis:
    """``result`` (of ``source``) re-anchored on ``target``, a text of the same shape."""
    from bisect import bisect_right

    src, dst = _line_starts(source), _line_starts(target)

    def move(offset: int) -> int:
        line = bisect_right(src, offset) - 1
        return dst[line] + (offset - src[line])

    findings = [f.model_copy(update={"start": move(f.start), "end": move(f.end)}) for f in result.findings]
    return TextAnalysis(result.identified, result.verdict, result.freedoms, findings)


# What produces a scan's analysis: the code of every stage, the shipped model and the grammars.
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
    results: dict[str, str] = {}
    version = producer_digest()
    keys = {sha: f"{sha}:{version}" for sha in texts}
    if cache is not None and keys:
        for sha, raw in _cached(cache, keys).items():
            results[sha] = raw
    missing = sorted(sha for sha in texts if sha not in results)
    computed: dict[str, str] = {}
    runs = 0
    if missing:
        computed, runs = _compute(missing, texts, jobs=jobs, analyser=analyser, progress=progress)
        if cache is not None:
            cache.put_many(CACHE_NAMESPACE, {keys[sha]: raw for sha, raw in computed.items() if '"error"' not in raw[:12]})
        results.update(computed)
    decoded: dict[str, TextAnalysis | str] = {}
    for sha, raw in results.items():
        data = json.loads(raw)
        decoded[sha] = data["error"] if "error" in data else TextAnalysis.from_data(data)
    return decoded, runs


def _cached(cache, keys: dict[str, str]) -> dict[str, str]:
    found = cache.get_many(CACHE_NAMESPACE, list(keys.values()))
    return {sha: found[key] for sha, key in keys.items() if key in found}


def _compute(missing: list[str], texts: dict[str, str], *, jobs: int, analyser: Analyser | None,
             progress: bool) -> tuple[dict[str, str], int]:
    """Analyse the missing texts; return their results (JSON) and how many analyses ran."""
    bar = _Bar(len(missing)) if progress else None
    out: dict[str, str] = {}
    try:
        if analyser is not None:
            for sha in missing:
                try:
                    out[sha] = analyser(texts[sha]).to_json()
                except InputError as exc:
                    out[sha] = json.dumps({"error": exc.reason})
                if bar:
                    bar.advance()
            return out, len(missing)
        groups: dict[str, list[str]] = {}
        for sha in missing:
            groups.setdefault(shape_key(texts[sha]), []).append(sha)
        same_shape = {members[0]: members[1:] for members in groups.values()}
        leaders = list(same_shape)
        runs = 0
        with _Runner(jobs, len(leaders)) as run:
            followers: list[str] = []
            for sha, raw in run(leaders, texts):
                runs += 1
                data = json.loads(raw)
                if "error" in data:
                    out[sha] = raw
                    if bar:
                        bar.advance()
                    continue
                out[sha] = data["result"]
                members = same_shape[sha]
                if data["shareable"]:
                    leader = TextAnalysis.from_json(data["result"])
                    for other in members:
                        out[other] = moved(leader, texts[sha], texts[other]).to_json()
                else:
                    followers.extend(members)
                if bar:
                    bar.advance(1 + (len(members) if data["shareable"] else 0))
            for sha, raw in run(followers, texts):
                runs += 1
                data = json.loads(raw)
                out[sha] = raw if "error" in data else data["result"]
                if bar:
                    bar.advance()
        return out, runs
    finally:
        if bar:
            bar.stop()


class _Runner:
    """Runs analyses in this process, or in a pool of worker processes when there are enough texts.

    On Linux the workers are forked after this process has loaded the models, so
    they start warm instead of each loading spaCy and the classifier again.
    """

    def __init__(self, jobs: int, expected: int) -> None:
        workers = jobs if jobs > 0 else (os.cpu_count() or 1)
        self.workers = min(workers, max(1, expected))
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> _Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def __call__(self, shas: list[str], texts: dict[str, str]):
        if self.workers <= 1 or len(shas) < MIN_TEXTS_FOR_POOL:
            for sha in shas:
                yield sha, _analyse_to_json(texts[sha])
            return
        # Longest first, one text at a time: the time of a text grows with its length, and a long
        # text handed out last would keep one worker busy while the others wait.
        shas = sorted(shas, key=lambda s: len(texts[s]), reverse=True)
        if self.pool is None:
            # Warm this process on the shortest text, so forked workers inherit loaded models.
            first, shas = shas[-1], shas[:-1]
            yield first, _analyse_to_json(texts[first])
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_fork_context())
        yield from zip(shas, self.pool.map(_analyse_to_json, [texts[s] for s in shas]))


def _fork_context():
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods() and sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return None


class _Bar:
    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("analysing license texts"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            transient=True, auto_refresh=False,
        )
        self._task = self._progress.add_task("analyse", total=total)
        self._progress.start()

    def advance(self, n: int = 1) -> None:
        self._progress.advance(self._task, n)
        self._progress.refresh()

    def stop(self) -> None:
        self._progress.stop()


# --- packages ---------------------------------------------------------------------


def declared_to_spdx(raw: str | None) -> tuple[str | None, str | None]:
    """Normalize a declared license string to an SPDX expression; return ``(spdx, note)``."""
    if not raw or not raw.strip():
        return None, None
    from licenselens.declared import to_spdx

    try:
        return to_spdx(raw), None
    except InputError as exc:
        return None, exc.reason


def build_package(package: Package, texts: list[ReadText], analyses: dict[str, TextAnalysis | str]) -> ScannedPackage:
    """Join what a source found with the analyses of its texts."""
    notes = list(package.notes)
    if package.declared_read:
        declared_spdx = package.declared_spdx
    else:
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
