"""Model repositories in the Hugging Face layout.

``README.md`` YAML front matter (``license``, ``license_name``, ``license_link``,
``base_model``) declares the license; ``LICENSE*``, ``USE_POLICY*`` and ``NOTICE*``
at the top level hold the texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from licenselens.model import SkipNote
from licenselens.scan.interface import Found, LicenseSource, Package, TextRef, read_small, reason_of, text_kind

MODEL_FILE_STEMS = ("license", "licence", "use_policy", "use-policy", "notice")
# Files whose presence beside README.md says "this folder is a model repository".
MODEL_MARKERS = ("config.json", "model_index.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json")
MODEL_SUFFIXES = (".safetensors", ".gguf", ".bin", ".onnx", ".pt", ".pth", ".ckpt")


@dataclass(frozen=True)
class FrontMatter:
    """The README front matter: its data, or why it could not be read."""

    data: dict | None
    error: str | None = None
    line: int | None = None  # 1-based line of the problem


def read_front_matter(text: str) -> FrontMatter:
    """Parse the YAML front matter at the top of a model card (absent: empty data, no error)."""
    import yaml

    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return FrontMatter({})
    for end in range(1, len(lines)):
        if lines[end].strip() in {"---", "..."}:
            break
    else:
        return FrontMatter(None, "front matter opened with '---' is never closed", 1)
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return FrontMatter(None, f"broken YAML front matter: {problem}", (mark.line + 2) if mark else 1)
    if data is None:
        return FrontMatter({})
    if not isinstance(data, dict):
        return FrontMatter(None, "front matter is not a YAML mapping", 2)
    return FrontMatter(data)


def declared_of(meta: dict) -> tuple[str | None, list[str]]:
    """The declared license of a model card (with ``license_name`` for ``other``) and notes."""
    notes: list[str] = []
    value = meta.get("license")
    if isinstance(value, list):
        names = [str(v) for v in value if v]
        value = " OR ".join(names) if len(names) > 1 else (names[0] if names else None)
    if value is None:
        return None, ["README front matter declares no license"]
    value = str(value).strip()
    name = meta.get("license_name")
    if value.lower() == "other":
        if isinstance(name, str) and name.strip():
            value = f"LicenseRef-{_ref_id(name)}"
        else:
            notes.append("license: other without license_name")
    link = meta.get("license_link")
    if isinstance(link, str) and link.strip():
        notes.append(f"license_link: {link.strip()}")
    return value, notes


def _ref_id(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9.\-]+", "-", name.strip()).strip("-") or "other"


def is_model_file(name: str) -> bool:
    """True for LICENSE*, LICENCE*, USE_POLICY*, NOTICE* (any case)."""
    return name.lower().startswith(MODEL_FILE_STEMS)


def looks_like_model_repo(folder: Path) -> bool:
    """A README.md with front matter, or model weights/config beside a README."""
    readme = folder / "README.md"
    if not readme.is_file():
        return False
    try:
        names = {p.name for p in folder.iterdir()}
        with open(readme, "rb") as handle:
            head = handle.read(4)
    except OSError:
        return False
    if head.startswith(b"---"):
        return True
    return any(n in names for n in MODEL_MARKERS) or any(n.endswith(MODEL_SUFFIXES) for n in names)


class ModelRepository(LicenseSource):
    """One model repository: one package (the model) with its card and license files."""

    name = "model-repo"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def collect(self) -> Iterator[Found]:
        readme = self.folder / "README.md"
        package = Package(name=self.folder.resolve().name or str(self.folder), version=None, source=self.name,
                          location=str(readme))
        if readme.is_file():
            try:
                card = read_small(readme).decode("utf-8", errors="replace")
            except (OSError, ValueError) as exc:
                yield SkipNote(path=str(readme), reason=reason_of(exc) if isinstance(exc, OSError) else str(exc))
                card = None
            if card is not None:
                matter = read_front_matter(card)
                if matter.error:
                    package.broken_metadata = True
                    package.notes.append(f"README.md line {matter.line}: {matter.error}")
                    yield SkipNote(path=str(readme), reason=matter.error)
                else:
                    meta = matter.data or {}
                    package.declared, notes = declared_of(meta)
                    package.notes.extend(notes)
                    if package.declared is not None:
                        from licenselens.declared import from_model_card  # loaded only when a card declares one

                        name = meta.get("license_name")
                        package.read_declared(from_model_card(meta.get("license"), name if isinstance(name, str) else None))
                    base = meta.get("base_model")
                    package.base_model = [str(b) for b in (base if isinstance(base, list) else [base]) if b]
                    if isinstance(meta.get("model_name"), str):
                        package.name = meta["model_name"]
        else:
            package.notes.append("no README.md model card")
        try:
            children = sorted(self.folder.iterdir())
        except OSError as exc:
            yield SkipNote(path=str(self.folder), reason=reason_of(exc))
            children = []
        for child in children:
            if is_model_file(child.name):
                try:
                    regular = child.is_file()
                except OSError:
                    regular = False
                if regular:
                    package.texts.append(TextRef(child, text_kind(child.name)))
                else:
                    yield SkipNote(path=str(child), reason="not a regular file")
        yield package
