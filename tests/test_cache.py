import multiprocessing
import os
import signal
import sqlite3

from licenselens.cache import ResultCache, open_cache


def test_round_trip(tmp_path):
    with ResultCache(tmp_path / "c.sqlite3") as cache:
        assert cache.get("analysis", "k") is None
        cache.put("analysis", "k", '{"a": 1}')
        assert cache.get("analysis", "k") == '{"a": 1}'
        assert cache.get("identify", "k") is None


def test_get_many_spans_chunks(tmp_path):
    with ResultCache(tmp_path / "c.sqlite3") as cache:
        cache.put_many("ns", {f"k{i}": str(i) for i in range(1200)})
        found = cache.get_many("ns", [f"k{i}" for i in range(0, 1300, 7)])
    assert found == {f"k{i}": str(i) for i in range(0, 1200, 7)}


def test_disabled_cache_is_none(tmp_path):
    assert open_cache(tmp_path / "x", enabled=False) is None


def _writer(path, n, tag):
    cache = ResultCache(path)
    for i in range(n):
        cache.put_many("ns", {f"{tag}{i}": "v" * 100})
    cache.close()


def test_two_concurrent_writers(tmp_path):
    path = tmp_path / "c.sqlite3"
    ResultCache(path).close()
    procs = [multiprocessing.Process(target=_writer, args=(path, 200, t)) for t in "ab"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with ResultCache(path) as cache:
        assert len(cache.get_many("ns", [f"{t}{i}" for t in "ab" for i in range(200)])) == 400


def _endless_writer(path):
    cache = ResultCache(path)
    i = 0
    while True:
        cache.put_many("ns", {f"k{i}-{j}": "x" * 1000 for j in range(50)})
        i += 1


def test_survives_writer_killed_mid_write(tmp_path):
    path = tmp_path / "c.sqlite3"
    proc = multiprocessing.Process(target=_endless_writer, args=(path,))
    proc.start()
    proc.join(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join()
    with ResultCache(path) as cache:
        cache.put("ns", "after", "ok")
        assert cache.get("ns", "after") == "ok"
    # The database passes SQLite's own integrity check.
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_unopenable_cache_is_input_error(tmp_path):
    import pytest

    from licenselens.errors import InputError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError):
        ResultCache(blocker / "sub" / "c.sqlite3")
