"""The local web page of ``licenselens serve``: paste a license (or two, to compare) and read
the analysis, or call the JSON endpoints.

Routes:

- ``GET /``: the form.
- ``POST /``: the form sent back (``text``, optionally ``compare``), answered with the
  analysis (or the diff) rendered as HTML.
- ``POST /api/analyze``: the body is the text (any content type but JSON) or
  ``{"text": "..."}``; the answer is the Analysis JSON.
- ``POST /api/diff``: ``{"old": "...", "new": "..."}``; the answer is the diff JSON.

Bad input (empty, binary, too large) gets a 400 (413 when the request is too large)
with ``{"error": "one line"}`` from the API, or an error paragraph on the page; never a
traceback. Every text shown is escaped: the pasted texts are untrusted.
"""

from __future__ import annotations

import json
import sys
import threading
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from licenselens.errors import InputError
from licenselens.model import Analysis, Severity

#: Largest request body accepted. A form sends the text percent-encoded, up to three
#: bytes a character, so this admits texts near the analysis limit of the pipeline.
MAX_REQUEST_BYTES = 4 * 1024 * 1024

#: Seconds a connection may stay silent before it is dropped (a stalled client holds no thread for long).
SOCKET_TIMEOUT = 30

# One analysis at a time: the pipeline is CPU-bound and loads its models on first use.
_analysis_lock = threading.Lock()

_CSS = """
body{font-family:system-ui,sans-serif;max-width:72rem;margin:1.5rem auto;padding:0 1rem;color:#222}
textarea{width:100%;height:14rem;font-family:ui-monospace,monospace;font-size:.85rem}
.inputs{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
button{font-size:1rem;padding:.4rem 1.2rem;margin:.6rem 0}
table{border-collapse:collapse;margin:1rem 0;max-width:100%}td,th{overflow-wrap:break-word;border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
.granted,.improved{color:#17703a}.conditional{color:#0b6b80}.restricted,.error,.worsened{color:#b3141b;font-weight:bold}
.absent,.warning{color:#8a6100}.unclear{color:#7a2d8c}.info{color:#2456a6}blockquote{margin:.2rem 0;color:#555;overflow-wrap:anywhere}
.rule{white-space:nowrap}.problem{background:#ffebe9;border:1px solid #b3141b;padding:.5rem 1rem}
.clause{border-top:1px solid #ddd;padding:.3rem 0}.clause pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:.2rem 0;font-size:.85rem}
mark.m-error{background:#ffc9c9}mark.m-warning{background:#ffe8a3}mark.m-info{background:#dbe8ff}
mark.m-grant{background:#d3f5dc}mark.m-cond{background:#d5f0f5}mark.m-term{background:#eee}
ins{background:#e6ffec;text-decoration:none}del{background:#ffebe9}
"""

_HEADERS = {
    # The page needs no script, no remote resource: forbid both, whatever a pasted text contains.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class BadRequest(Exception):
    """A request the server refuses, with its status and a one-line reason."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        self.status = status
        self.reason = " ".join(reason.split())
        super().__init__(self.reason)


# --- reading input ------------------------------------------------------------


def _text(value: object, name: str) -> str:
    """A pasted text, checked like a file: not empty, not binary."""
    from licenselens.text import decode

    if not isinstance(value, str):
        raise InputError(name, "expected a string")
    if not value.strip():
        raise InputError(name, "empty text")
    # The one decoder refuses binary data (control characters, NULs) with its usual message.
    return decode(value.encode("utf-8"), name)


def analyse(text: str, name: str) -> Analysis:
    """Analyse one pasted text (serialized with the other requests)."""
    from licenselens import analyze

    with _analysis_lock:
        return analyze(text, path=name)


def compare_texts(old: str, new: str):
    """Analyse two pasted texts and compare them (``licenselens.diff.compare``)."""
    from licenselens.diff import compare

    return compare(analyse(old, "old"), analyse(new, "new"))


# --- rendering ------------------------------------------------------------------

_SEVERITY_RANK = {Severity.ERROR: 5, Severity.WARNING: 4, Severity.INFO: 3}
_CATEGORY_CLASS = {"grant": ("m-grant", 2), "cond": ("m-cond", 1)}


def _highlighted(text: str, base: int, marks: list[tuple[int, int, str, int, str]]) -> str:
    """``text`` (starting at offset ``base``) escaped, with each mark ``(start, end, class,
    rank, title)`` as a ``<mark>``; where marks overlap, the highest rank colours the stretch."""
    end_of_text = base + len(text)
    inside = [(max(s, base), min(e, end_of_text), c, r, t) for s, e, c, r, t in marks if s < end_of_text and e > base and e > s]
    cuts = sorted({base, end_of_text, *(s for s, *_ in inside), *(e for _, e, *_ in inside)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a - base : b - base])
        over = [m for m in inside if m[0] <= a and m[1] >= b]
        if over:
            top = max(over, key=lambda m: m[3])
            title = "; ".join(dict.fromkeys(m[4] for m in sorted(over, key=lambda m: -m[3])))
            out.append(f"<mark class='{escape(top[2])}' title='{escape(title)}'>{piece}</mark>")
        else:
            out.append(piece)
    return "".join(out)


def _anchor(clause_id: str) -> str:
    return "clause-" + "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in clause_id)


def analysis_html(analysis: Analysis) -> str:
    """The analysis as an HTML fragment: verdict, freedoms, findings (clause id, line, quoted
    evidence) and every clause with the spans of its findings and terms highlighted."""
    from licenselens.report.html import freedom_rows
    from licenselens.report.interface import summary_line

    e = escape
    rows = freedom_rows(analysis)
    wash = " <span class='restricted'>openwashing</span>" if analysis.openwashing else ""
    parts = [
        f"<h2>Verdict: <span class='{e(analysis.verdict.value)}'>{e(analysis.verdict.value)}</span>{wash}</h2>",
        f"<p><small>{e(summary_line(analysis))}</small></p>",
        f"<table><tr><th>freedom</th><th>status</th><th>findings</th></tr>{rows}</table>",
    ]
    if analysis.findings:
        body = "".join(
            f"<tr><td class='{e(f.severity.value)}'>{e(f.severity.value)}</td><td><span class='rule'>{e(f.id)}</span><br><small>{e(f.rule)}</small></td>"
            f"<td><a href='#{e(_anchor(f.clause))}'><code>{e(f.clause)}</code></a><br><small>line {f.line}</small></td>"
            f"<td>{e(f.message)}<blockquote>{e(f.evidence)}</blockquote></td></tr>"
            for f in analysis.findings
        )
        parts.append(f"<h3>Findings</h3><table><tr><th>severity</th><th>rule</th><th>clause</th><th>why</th></tr>{body}</table>")
    else:
        parts.append("<p>No findings.</p>")
    marks = [(f.start, f.end, f"m-{f.severity.value}", _SEVERITY_RANK[f.severity], f"{f.id} {f.rule}: {f.message}") for f in analysis.findings]
    for t in analysis.terms:
        cls, rank = _CATEGORY_CLASS.get(t.kind.value.split(".")[0], ("m-term", 0))
        marks.append((t.start, t.end, cls, rank, t.kind.value))
    clauses = "".join(
        f"<div class='clause' id='{e(_anchor(c.id))}'><small><code>{e(c.id)}</code> line {c.line}"
        f"{' &middot; ' + e(' '.join(c.heading.split())) if c.heading else ''}</small>"
        f"<pre>{_highlighted(c.text, c.start, marks)}</pre></div>"
        for c in sorted(analysis.clauses, key=lambda c: c.start)
        if c.text.strip()
    )
    legend = (
        "<p><small><mark class='m-error'>restriction (error)</mark> <mark class='m-warning'>warning</mark> "
        "<mark class='m-info'>info</mark> <mark class='m-grant'>grant</mark> <mark class='m-cond'>condition</mark> "
        "<mark class='m-term'>other term</mark></small></p>"
    )
    parts.append(f"<h3>Clauses</h3>{legend}{clauses}")
    return "".join(parts)


def page(text: str = "", compare: str = "", *, result: str = "", problem: str | None = None) -> str:
    """The whole page: the form (holding what was pasted) and, below it, a result or a problem."""
    e = escape
    error = f"<p class='problem' role='alert'>{e(problem)}</p>" if problem else ""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>licenselens</title><style>{_CSS}</style></head><body>"
        "<h1>licenselens</h1><p>Paste a license or acceptable-use policy to see, clause by clause, which of the "
        "four freedoms (use for any purpose, study, modify, share) survive. Paste a second text to compare the two.</p>"
        "<form method='post' action='/' accept-charset='utf-8'><div class='inputs'>"
        f"<label>License text (OLD when comparing)<textarea name='text' required>\n{e(text)}</textarea></label>"
        f"<label>Compare with (NEW, optional)<textarea name='compare'>\n{e(compare)}</textarea></label>"
        "</div><button type='submit'>Analyse</button></form>"
        f"{error}{result}</body></html>\n"
    )


# --- the server -------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server_version = "licenselens"
    sys_version = ""
    timeout = SOCKET_TIMEOUT
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        if getattr(self.server, "verbose", False):
            sys.stderr.write(f"licenselens serve: {self.address_string()} {format % args}\n")

    def _send(self, status: HTTPStatus, body: str, content_type: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in _HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _json(self, status: HTTPStatus, body: str) -> None:
        self._send(status, body, "application/json; charset=utf-8")

    def _html(self, status: HTTPStatus, body: str) -> None:
        self._send(status, body, "text/html; charset=utf-8")

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            raise BadRequest(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length, not chunked")
        length = self.headers.get("Content-Length")
        if length is None:
            raise BadRequest(HTTPStatus.LENGTH_REQUIRED, "Content-Length required")
        try:
            size = int(length)
        except ValueError:
            raise BadRequest(HTTPStatus.BAD_REQUEST, "invalid Content-Length") from None
        if size < 0:
            raise BadRequest(HTTPStatus.BAD_REQUEST, "invalid Content-Length")
        if size > MAX_REQUEST_BYTES:
            # The body is not read, so the connection cannot be reused.
            self.close_connection = True
            raise BadRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request larger than {MAX_REQUEST_BYTES // (1024 * 1024)} MiB")
        data = self.rfile.read(size)
        if len(data) != size:
            raise BadRequest(HTTPStatus.BAD_REQUEST, "request body shorter than its Content-Length")
        return data

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == "/":
            self._html(HTTPStatus.OK, page())
        else:
            self._html(HTTPStatus.NOT_FOUND, page(problem=f"no page at {self.path}"))

    def do_POST(self) -> None:
        route = self.path.split("?", 1)[0]
        api = route.startswith("/api/")
        try:
            if route == "/api/analyze":
                self._json(HTTPStatus.OK, self._api_analyze())
            elif route == "/api/diff":
                self._json(HTTPStatus.OK, self._api_diff())
            elif route == "/":
                self._form()
            else:
                raise BadRequest(HTTPStatus.NOT_FOUND, f"no endpoint at {route}")
        except BadRequest as exc:
            self._refuse(api, exc.status, exc.reason)
        except InputError as exc:
            self._refuse(api, HTTPStatus.BAD_REQUEST, str(exc))
        except MemoryError:
            self._refuse(api, HTTPStatus.BAD_REQUEST, "out of memory")
        except Exception as exc:  # the server boundary: report on one line, never a traceback
            self._refuse(api, HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {exc.__class__.__name__}: {exc}")

    def _refuse(self, api: bool, status: HTTPStatus, reason: str) -> None:
        line = " ".join(reason.split())
        if api:
            self._json(status, json.dumps({"error": line}, ensure_ascii=False) + "\n")
        else:
            self._html(status, page(problem=line))

    def _json_body(self) -> dict:
        try:
            body = json.loads(self._body().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadRequest(HTTPStatus.BAD_REQUEST, f"invalid JSON: {exc}") from None
        if not isinstance(body, dict):
            raise BadRequest(HTTPStatus.BAD_REQUEST, "expected a JSON object")
        return body

    def _is_json(self) -> bool:
        return self.headers.get_content_type() == "application/json"

    def _api_analyze(self) -> str:
        from licenselens.report import to_json
        from licenselens.text import decode

        if self._is_json():
            text = _text(self._json_body().get("text"), "text")
        else:
            data = self._body()
            if not data.strip():
                raise InputError("text", "empty text")
            text = decode(data, "text")
        return to_json(analyse(text, "text"))

    def _api_diff(self) -> str:
        from licenselens.report.diff import to_json

        if not self._is_json():
            raise BadRequest(HTTPStatus.BAD_REQUEST, 'send {"old": "...", "new": "..."} as application/json')
        body = self._json_body()
        return to_json(compare_texts(_text(body.get("old"), "old"), _text(body.get("new"), "new")))

    def _form(self) -> None:
        from licenselens.report.diff import html_fragment

        try:
            fields = parse_qs(self._body().decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise BadRequest(HTTPStatus.BAD_REQUEST, "the form could not be read (send it as UTF-8)") from None
        text = (fields.get("text") or [""])[0]
        other = (fields.get("compare") or [""])[0]
        try:
            if other.strip():
                result = "<h2>Changes from the first text to the second</h2>" + html_fragment(
                    compare_texts(_text(text, "license text"), _text(other, "compared text")))
            else:
                result = analysis_html(analyse(_text(text, "license text"), "pasted text"))
        except InputError as exc:
            self._html(HTTPStatus.BAD_REQUEST, page(text, other, problem=str(exc)))
            return
        self._html(HTTPStatus.OK, page(text, other, result=result))


class LicenseServer(ThreadingHTTPServer):
    """A thread per request; the threads never keep the process alive."""

    daemon_threads = True
    verbose = False


def make_server(host: str = "127.0.0.1", port: int = 8765, *, verbose: bool = False) -> LicenseServer:
    """A server bound to ``host:port`` (port 0 picks a free one), not yet serving."""
    import socket

    cls = LicenseServer
    if ":" in host:
        cls = type("LicenseServer6", (LicenseServer,), {"address_family": socket.AF_INET6})
    server = cls((host, port), _Handler)
    server.verbose = verbose
    return server


def url_of(server: LicenseServer) -> str:
    """The address a browser opens."""
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    return f"http://{shown}:{port}/"
