"""Import spaCy without its command-line package.

``import spacy`` runs ``from .cli.info import info``, and ``spacy.cli`` imports
every spaCy command with their dependencies (weasel, httpx, requests, jinja2, the
project and download commands): a quarter to a third of spaCy's import time, for code
licenselens never runs. While spaCy itself is imported, ``spacy.cli.info`` is
served by a placeholder whose ``info`` loads the real function on first call;
the placeholder leaves ``sys.modules`` right after, so any later
``import spacy.cli`` loads the real package.

If a spaCy release imports more than ``info`` from its CLI at import time, the
partial import is discarded and spaCy is imported the ordinary way.
"""

from __future__ import annotations

import sys
import types

_CLI = "spacy.cli"
_CLI_INFO = "spacy.cli.info"


def _info(*args, **kwargs):
    """spaCy's ``info`` command, loaded when called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def import_spacy() -> None:
    """Make sure spaCy is imported, leaving its CLI unloaded when that is possible."""
    if "spacy" in sys.modules or _CLI in sys.modules:
        return
    info_module = types.ModuleType(_CLI_INFO)
    info_module.info = _info
    cli_module = types.ModuleType(_CLI)
    cli_module.info = info_module
    sys.modules[_CLI] = cli_module
    sys.modules[_CLI_INFO] = info_module
    try:
        import spacy
    except ImportError:
        for name in [name for name in sys.modules if name == "spacy" or name.startswith("spacy.")]:
            del sys.modules[name]
    finally:
        if sys.modules.get(_CLI) is cli_module:
            del sys.modules[_CLI]
        if sys.modules.get(_CLI_INFO) is info_module:
            del sys.modules[_CLI_INFO]
    import spacy  # noqa: F401
