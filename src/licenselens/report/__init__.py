"""Output formats of ``analyze``: one module per format, one small interface
(``AnalysisFormat.format(analysis) -> str``), registered here by name.

Formats load on first use, so a JSON report never imports the terminal toolkit.
"""

from __future__ import annotations

from importlib import import_module

from licenselens.report.interface import AnalysisFormat, summary_line

#: ``--format`` name -> "module:class" of its implementation.
FORMATS: dict[str, str] = {
    "text": "licenselens.report.text:TextFormat",
    "json": "licenselens.report.json:JsonFormat",
    "markdown": "licenselens.report.markdown:MarkdownFormat",
    "sarif": "licenselens.report.sarif:SarifFormat",
    "html": "licenselens.report.html:HtmlFormat",
}

__all__ = ["FORMATS", "AnalysisFormat", "formatter", "summary_line", "to_json"]


def formatter(name: str) -> AnalysisFormat:
    """The format registered under ``name``; ``KeyError`` when there is none."""
    module, _, cls = FORMATS[name].partition(":")
    return getattr(import_module(module), cls)()


def to_json(analysis) -> str:
    """The JSON document of an analysis (the contract), with a final newline."""
    from licenselens.report.json import to_json as render

    return render(analysis)
