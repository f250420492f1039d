"""web: the local page and its JSON endpoints, served on a free loopback port."""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlencode

import pytest

from licenselens.model import Analysis, LicenseDiff
from licenselens.web import MAX_REQUEST_BYTES, make_server

FIXTURES = Path(__file__).parent / "fixtures" / "diff"
HOSTILE = "Acme License\n\n1. You may not use the Model for military purposes <script>alert('x')</script>.\n"


@pytest.fixture
def server():
    srv = make_server("127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)
        assert not thread.is_alive()


def _request(server, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type"), response.read().decode("utf-8")
    finally:
        conn.close()


def test_api_analyze_returns_the_analysis_json(server):
    status, ctype, body = _request(server, "POST", "/api/analyze", HOSTILE.encode(), {"Content-Type": "text/plain"})
    assert status == 200 and ctype.startswith("application/json")
    analysis = Analysis.model_validate_json(body)
    assert analysis.freedoms["use"].status.value == "restricted"
    assert any(f.id == "USE-001" and "military" in f.evidence for f in analysis.findings)


def test_api_analyze_accepts_a_json_body(server):
    payload = json.dumps({"text": HOSTILE}).encode()
    status, _, body = _request(server, "POST", "/api/analyze", payload, {"Content-Type": "application/json"})
    assert status == 200
    assert json.loads(body)["freedoms"]["use"]["status"] == "restricted"


def test_api_diff(server):
    payload = json.dumps({"old": (FIXTURES / "acme-1.0.txt").read_text(), "new": (FIXTURES / "acme-1.1.txt").read_text()})
    status, _, body = _request(server, "POST", "/api/diff", payload.encode(), {"Content-Type": "application/json"})
    assert status == 200
    result = LicenseDiff.model_validate_json(body)
    assert result.freedoms["use"].change == "worsened"
    assert any("military" in f.evidence for f in result.added_findings)


@pytest.mark.parametrize(
    ("body", "headers", "status", "words"),
    [
        (b"", {}, 400, "empty"),
        (b"   \n", {}, 400, "empty"),
        (bytes(range(256)) * 8, {}, 400, "binary"),
        (b'{"text": 3}', {"Content-Type": "application/json"}, 400, "string"),
        (b"{not json", {"Content-Type": "application/json"}, 400, "invalid JSON"),
    ],
)
def test_api_refuses_bad_input_with_one_line_json(server, body, headers, status, words):
    got, ctype, text = _request(server, "POST", "/api/analyze", body, headers)
    assert got == status and ctype.startswith("application/json")
    error = json.loads(text)["error"]
    assert words in error and "\n" not in error and "Traceback" not in text


def test_oversized_request_is_refused_before_reading(server):
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        # Announce more than the limit and send nothing: the server must answer at once.
        conn.putrequest("POST", "/api/analyze")
        conn.putheader("Content-Length", str(MAX_REQUEST_BYTES + 1))
        conn.endheaders()
        response = conn.getresponse()
        assert response.status == 413
        assert "larger than" in json.loads(response.read())["error"]
    finally:
        conn.close()


def test_diff_endpoint_wants_json(server):
    status, _, body = _request(server, "POST", "/api/diff", b"old and new", {"Content-Type": "text/plain"})
    assert status == 400 and "application/json" in json.loads(body)["error"]


def test_form_page_escapes_the_pasted_text(server):
    status, ctype, page = _request(server, "GET", "/")
    assert status == 200 and ctype.startswith("text/html") and "<textarea" in page
    form = urlencode({"text": HOSTILE, "compare": ""}).encode()
    status, _, page = _request(server, "POST", "/", form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    # The freedoms table, the finding with its clause id and evidence, the highlighted clause.
    assert "<td class='restricted'>restricted</td>" in page
    assert "USE-001" in page and "<code>1</code>" in page
    assert "<mark class='m-error'" in page


def test_form_compares_two_texts(server):
    form = urlencode({"text": (FIXTURES / "acme-1.0.txt").read_text(), "compare": (FIXTURES / "acme-1.1.txt").read_text()})
    status, _, page = _request(server, "POST", "/", form.encode(), {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and "worsened" in page and "military" in page


def test_form_with_empty_text_shows_the_problem(server):
    status, _, page = _request(server, "POST", "/", b"text=&compare=", {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and "class='problem'" in page and "empty text" in page


def test_unknown_path_is_404(server):
    status, _, _ = _request(server, "GET", "/nope")
    assert status == 404
    status, _, body = _request(server, "POST", "/api/nope", b"x")
    assert status == 404 and "error" in json.loads(body)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="no /usr/bin/chromium")
def test_page_renders_in_a_headless_browser(server, tmp_path):
    host, port = server.server_address[:2]
    dump = subprocess.run(
        ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path}",
         "--dump-dom", f"http://{host}:{port}/"],
        capture_output=True, text=True, timeout=60,
    )
    assert "<textarea" in dump.stdout and "Analyse" in dump.stdout
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_serve_on_a_busy_port_is_one_line_and_exit_2():
    import socket

    from typer.testing import CliRunner

    from licenselens.cli import app

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"licenselens: error: 127.0.0.1:{port}:") and result.stderr.count("\n") == 1
