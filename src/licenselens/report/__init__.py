"""Output formats of ``analyze``: one module per format, one small interface
(``AnalysisFormat.format(analysis) -> str``), registered here by name."""

from __future__ import annotations

from licenselens.report.html import HtmlFormat
from licenselens.report.interface import AnalysisFormat, summary_line
from licenselens.report.json import JsonFormat, to_json
from licenselens.report.markdown import MarkdownFormat
from licenselens.report.sarif import SarifFormat
from licenselens.report.text import TextFormat

FORMATS: dict[str, type[AnalysisFormat]] = {
    f.name: f for f in (TextFormat, JsonFormat, MarkdownFormat, SarifFormat, HtmlFormat)
}

__all__ = ["FORMATS", "AnalysisFormat", "formatter", "summary_line", "to_json"]


def formatter(name: str) -> AnalysisFormat:
    """The format registered under ``name``; ``KeyError`` when there is none."""
    return FORMATS[name]()
