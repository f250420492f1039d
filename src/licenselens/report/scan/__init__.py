"""Output formats of ``scan``: one module per format, one small interface
(``ScanFormat.format(result) -> str``), registered here by name."""

from __future__ import annotations

from licenselens.report.scan.cyclonedx import ScanCycloneDxFormat
from licenselens.report.scan.interface import ScanFormat, summary_line
from licenselens.report.scan.json import ScanJsonFormat
from licenselens.report.scan.markdown import ScanMarkdownFormat
from licenselens.report.scan.sarif import ScanSarifFormat
from licenselens.report.scan.table import ScanTableFormat

SCAN_FORMATS: dict[str, type[ScanFormat]] = {
    f.name: f for f in (ScanTableFormat, ScanJsonFormat, ScanMarkdownFormat, ScanSarifFormat, ScanCycloneDxFormat)
}

__all__ = ["SCAN_FORMATS", "ScanFormat", "scan_formatter", "summary_line"]


def scan_formatter(name: str) -> ScanFormat:
    """The scan format registered under ``name``; ``KeyError`` when there is none."""
    return SCAN_FORMATS[name]()
