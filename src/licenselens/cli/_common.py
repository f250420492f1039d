"""What every subcommand shares: one-line errors with exit 2, atomic output files."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import typer

from licenselens.errors import InputError

F = TypeVar("F", bound=Callable[..., object])

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


class TextOrJson(StrEnum):
    """The --format choices of a subcommand that writes for people or for programs, nothing else."""

    TEXT = "text"
    JSON = "json"


def fail(message: str) -> typer.Exit:
    """Print a one-line error on stderr and return the exit to raise (code 2)."""
    line = " ".join(str(message).split())
    sys.stderr.write(f"licenselens: error: {line}\n")
    sys.stderr.flush()
    return typer.Exit(EXIT_BAD_INPUT)


def guarded(command: F) -> F:
    """Turn bad input and unexpected failures into one line on stderr and exit 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except InputError as exc:
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            raise fail("interrupted") from None
        except MemoryError:
            raise fail("out of memory") from None
        except Exception as exc:  # the CLI boundary: report, do not crash
            raise fail(f"internal error: {exc.__class__.__name__}: {exc}") from None

    return wrapper  # type: ignore[return-value]


def check_writable(path: Path) -> None:
    """Refuse an output path whose folder is missing, or that is a directory, before any work."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(str(target), "folder does not exist")
    if target.is_dir():
        raise InputError(str(target), "is a directory")


def write_atomically(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder and a
    rename, so a failure never leaves a partial output file."""
    target = Path(path)
    check_writable(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(str(target), (exc.strerror or str(exc)).lower()) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError(str(target), (exc.strerror or str(exc)).lower()) from None
        raise


def emit(content: str) -> None:
    """Write to standard output, quietly when the reader has gone (``| head``)."""
    try:
        sys.stdout.write(content)
        sys.stdout.flush()
    except BrokenPipeError:
        # Keep Python from complaining at exit about the closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def deliver(report: str, output: Path | None, *, quiet: bool, summary: str) -> None:
    """Write ``report`` to ``output`` (atomically) or, without one, to standard output;
    ``quiet`` prints only the ``summary`` line instead."""
    if output is not None:
        write_atomically(output, report)
    if quiet:
        emit(summary + "\n")
    elif output is None:
        emit(report)
