"""The one result cache: an embedded SQLite database in the user cache directory.

Results are stored as JSON text under a namespace ('analysis', 'identify', ...)
and a key that the caller derives from the content hash of the text plus the
version of whatever produced the result, so a new release or a retrained
model never reads stale entries.

Safe under concurrent scans (WAL journal, busy timeout, one short transaction
per write) and under a process killed mid-write (SQLite commits atomically).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

from licenselens.errors import InputError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
) WITHOUT ROWID
"""

#: Pauses (seconds) between attempts to set up a cache another process is setting up; None: give up.
_OPEN_RETRIES = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, None)


def default_cache_path() -> Path:
    """Where the cache lives unless ``--cache`` says otherwise."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("licenselens")) / "results.sqlite3"


class ResultCache:
    """A key-value store of JSON results. Open one per process; it is thread-safe."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False, isolation_level=None)
            self._set_up()
        except (OSError, sqlite3.Error) as exc:
            raise InputError(str(self.path), f"cannot open cache: {exc}") from None
        self._lock = threading.Lock()

    def _set_up(self) -> None:
        # SQLite skips the busy timeout while another process sets up the same file: retry instead.
        for wait in _OPEN_RETRIES:
            try:
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
                self._conn.execute(_SCHEMA)
                return
            except sqlite3.OperationalError as exc:
                if wait is None or ("locked" not in str(exc) and "busy" not in str(exc)):
                    raise
                time.sleep(wait)

    def get(self, namespace: str, key: str) -> str | None:
        with self._lock:
            try:
                row = self._conn.execute(
                    "SELECT value FROM results WHERE namespace = ? AND key = ?", (namespace, key)
                ).fetchone()
            except sqlite3.DatabaseError:
                # A damaged or locked-out cache costs a recomputation, never a failure.
                return None
        return row[0] if row else None

    def get_many(self, namespace: str, keys: list[str]) -> dict[str, str]:
        """Look up many keys at once (one query per 500 keys)."""
        found: dict[str, str] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                try:
                    rows = self._conn.execute(
                        f"SELECT key, value FROM results WHERE namespace = ? AND key IN ({marks})",
                        (namespace, *chunk),
                    ).fetchall()
                except sqlite3.DatabaseError:
                    return found
                found.update(rows)
        return found

    def put(self, namespace: str, key: str, value: str) -> None:
        self.put_many(namespace, {key: value})

    def put_many(self, namespace: str, items: dict[str, str]) -> None:
        """Store results in one transaction; a busy or read-only cache is skipped silently."""
        if not items:
            return
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.executemany(
                    "INSERT OR REPLACE INTO results (namespace, key, value) VALUES (?, ?, ?)",
                    [(namespace, k, v) for k, v in items.items()],
                )
                self._conn.execute("COMMIT")
            except sqlite3.Error:
                try:
                    self._conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_cache(path: str | os.PathLike[str] | None, *, enabled: bool = True) -> ResultCache | None:
    """Open the cache at ``path`` (default location when None), or None when disabled."""
    if not enabled:
        return None
    return ResultCache(Path(path) if path else default_cache_path())
