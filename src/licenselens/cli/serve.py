"""``licenselens serve``: a local web page for pasting and comparing license texts."""

from __future__ import annotations

import ipaddress
import sys
from typing import Annotated

import typer

from licenselens.cli._common import EXIT_OK, guarded
from licenselens.errors import InputError


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@guarded
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on (0 picks a free one).")] = 8765,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each request on standard error.")] = False,
) -> None:
    """Serve a local web page to paste a license (or two, to compare) and read the analysis;
    also POST /api/analyze (the text) and POST /api/diff ({"old": ..., "new": ...}) for JSON."""
    from licenselens.web import make_server, url_of

    try:
        server = make_server(host, port, verbose=verbose)
    except OSError as exc:
        raise InputError(f"{host}:{port}", (exc.strerror or str(exc)).lower()) from None
    if not _loopback(host):
        # Pasted texts travel unencrypted and anyone who can reach the address can use the page.
        sys.stderr.write(f"licenselens serve: warning: listening on {host}, reachable beyond this machine\n")
    sys.stderr.write(f"licenselens serve: {url_of(server)} (Ctrl-C to stop)\n")
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    raise typer.Exit(EXIT_OK)
