"""identify: nearest known licenses, near versions told apart, regions, differences, the CLI."""

from __future__ import annotations

import json
import re
import statistics
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from licenselens.cli import app
from licenselens.identify import best_match, identify
from licenselens.identify.references import curated_index, reference_index, split_front_matter
from licenselens.resources import corpus_path
from licenselens.text import normalize

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "llama"

MIT = (Path(__file__).resolve().parent / "fixtures" / "mit.txt").read_text(encoding="utf-8")

# MIT-0 is MIT without the condition to keep the notice.
MIT_0 = MIT.replace(
    """, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.""",
    ".",
)

BSD_3 = """BSD 3-Clause License

Copyright (c) 2019, The Example Project Developers
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.

3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""

BSD_2 = BSD_3.replace("BSD 3-Clause", "BSD 2-Clause").replace(
    """3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.

""",
    "",
)

APACHE_HEADER = """# Copyright 2023 The Example Authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
"""

GPL2_ONLY = """/*
 * Copyright (C) 2012 Example Corp.
 *
 * This program is free software; you can redistribute it and/or modify
 * it under the terms of the GNU General Public License version 2 as
 * published by the Free Software Foundation.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 */
"""

GPL2_OR_LATER = """/*
 * Copyright (C) 2012 Example Corp.
 *
 * This program is free software; you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation; either version 2 of the License, or
 * (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 */
"""


def reference_body(key: str) -> str:
    return split_front_matter(corpus_path("licenses", f"{key}.LICENSE").read_text(encoding="utf-8"))[1]


def reflowed(text: str, width: int = 72) -> str:
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width) for p in paragraphs if p.strip())


def main_match(text: str):
    result = identify(text)
    assert result.matches, "nothing identified"
    return max(result.matches, key=lambda m: m.end - m.start)


# --- near versions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "reference"),
    [
        ("llama3_1-LICENSE.txt", "llama-3.1-license-2024"),
        ("llama3_2-LICENSE.txt", "llama-3.2-license-2024"),
        ("llama3_3-LICENSE.txt", "llama-3.3-license-2024"),
        ("llama2-LICENSE.txt", "llama-2-license-2023"),
    ],
)
def test_llama_versions_are_told_apart(filename, reference):
    path = SHARED / filename
    if not path.exists():
        pytest.skip("shared Llama corpus not available")
    result = identify(path.read_text(encoding="utf-8"))
    assert result.candidates[0].reference == reference
    main = max(result.matches, key=lambda m: m.end - m.start)
    assert main.reference == reference
    # The other Llama 3.x versions are close behind, and still behind.
    assert all(c.score < main.score for c in result.candidates[1:])


def test_mit_and_mit_0():
    assert main_match(MIT).key == "mit"
    assert main_match(MIT_0).key == "mit-0"
    assert main_match(MIT).spdx == "MIT"
    assert main_match(MIT_0).spdx == "MIT-0"


def test_bsd_2_and_bsd_3():
    bsd3, bsd2 = main_match(BSD_3), main_match(BSD_2)
    assert (bsd3.key, bsd3.spdx) == ("bsd-new", "BSD-3-Clause")
    assert (bsd2.key, bsd2.spdx) == ("bsd-simplified", "BSD-2-Clause")


def test_apache_full_text_and_header_notice():
    full = main_match(reflowed(reference_body("apache-2.0")))
    header = main_match(APACHE_HEADER)
    assert full.spdx == header.spdx == "Apache-2.0"
    assert not full.is_notice and full.reference == "apache-2.0"
    assert header.is_notice and header.reference == "apache-2.0-notice"


def test_gpl_2_only_and_or_later_notices():
    only, later = main_match(GPL2_ONLY), main_match(GPL2_OR_LATER)
    assert only.spdx == "GPL-2.0-only" and only.is_notice
    assert later.spdx == "GPL-2.0-or-later" and later.is_notice


@pytest.mark.parametrize(
    "key", ["bigscience-open-rail-m", "bigscience-open-rail-m2", "bigcode-open-rail-m-v1", "stable-diffusion-2022-08-22"]
)
def test_openrail_m_variants_with_another_licensor(key):
    # A RAIL-M text re-issued by another organisation is still that variant.
    text = reflowed(reference_body(key))
    text = re.sub(r"BigScience|BigCode|CompVis|Stability AI|Hugging Face", "Acme Labs", text)
    assert main_match(text).key == key


# --- regions ---------------------------------------------------------------------------


def test_dual_license_file_reports_each_license_with_its_region():
    text = "This project is licensed under either of the licenses below, at your option.\n\n" + MIT + "\n\n" + reference_body("apache-2.0")
    result = identify(text)
    keys = [m.key for m in result.matches]
    assert keys == ["mit", "apache-2.0"]
    mit, apache = result.matches
    assert mit.end <= apache.start
    assert text[mit.start : mit.end].startswith("Permission is hereby granted")
    assert mit.line == text[: mit.start].count("\n") + 1
    assert "Apache License" in text[apache.start : apache.end][:200]
    assert apache.end_line >= apache.line > mit.end_line


def test_terms_of_use_plus_prohibited_use_policy():
    text = reference_body("gemma-tou-2024-04-01") + "\n\n" + reference_body("gemma-pup-2024-02-21")
    assert [m.key for m in identify(text).matches] == ["gemma-tou-2024-04-01", "gemma-pup-2024-02-21"]


def test_nothing_known_gives_no_match():
    result = identify("Shopping list: apples, pears, two loaves of bread and a bag of coffee.")
    assert result.matches == []
    assert best_match(normalize("Shopping list: apples, pears.")) is None


# --- differences -----------------------------------------------------------------------


def test_added_paragraph_is_listed_with_its_clause():
    body = reference_body("apache-2.0")
    addition = "You may not use the Work or any Derivative Works for military purposes."
    marker = "5. Submission of Contributions."
    text = body.replace(marker, addition + "\n\n" + marker)
    match = main_match(text)
    assert match.key == "apache-2.0"
    assert 0.9 < match.score < 1.0
    added = [d for d in match.differences if d.kind == "added"]
    assert any("military purposes" in d.text for d in added)
    diff = next(d for d in added if "military" in d.text)
    assert text[diff.start : diff.end] == diff.text
    assert diff.line == text[: diff.start].count("\n") + 1
    assert diff.clause is not None


def test_trailing_restriction_is_part_of_the_match_not_ignored():
    text = MIT + "\nThe Software shall not be used for military purposes.\n"
    match = main_match(text)
    assert match.key == "mit" and match.score < 1.0
    assert any("military" in d.text for d in match.differences if d.kind == "added")


def test_removed_and_changed_text():
    text = MIT.replace("merge, publish, distribute, sublicense, and/or sell", "merge, and publish")
    match = main_match(text)
    assert match.key == "mit"
    kinds = {d.kind for d in match.differences}
    assert kinds & {"removed", "changed"}
    assert any("sublicense" in d.reference for d in match.differences)


def test_exact_text_has_no_differences():
    match = main_match(MIT)
    assert match.score == 1.0 and match.differences == []


# --- references, speed, determinism ------------------------------------------------------


def test_front_matter_is_not_indexed():
    fields, body = split_front_matter("---\nkey: x\nname: X License\n---\n\nThe text.\n")
    assert fields == {"key": "x", "name": "X License"} and body == "\nThe text.\n"
    assert split_front_matter("---\nkey: x\nno end\n") == ({}, "---\nkey: x\nno end\n")
    assert split_front_matter("plain text") == ({}, "plain text")


def test_every_curated_reference_identifies_itself():
    index = curated_index()
    for ref in index.references:
        assert main_match(ref.body()).reference == ref.id, ref.id


def test_best_match_is_fast_on_a_12_kb_text():
    curated_index()
    text = normalize(reference_body("apache-2.0"))
    assert 10_000 < len(text.text) < 14_000
    best_match(text)
    timings = []
    for _ in range(7):
        start = time.perf_counter()
        found = best_match(text)
        timings.append(time.perf_counter() - start)
    assert found is not None and found.key == "apache-2.0" and found.score == 1.0
    # 30 ms is the target (see benchmarks); the bound leaves room for a busy machine.
    assert statistics.median(timings) < 0.1


def test_identification_is_deterministic():
    text = MIT + "\n\n" + APACHE_HEADER
    assert identify(text).model_dump_json() == identify(text).model_dump_json()


def test_scancode_reference_set_is_indexed_once_and_cached(tmp_path, monkeypatch):
    licenses = tmp_path / "licenses"
    licenses.mkdir()
    for key in ("mit", "bsd-new", "apache-2.0"):
        (licenses / f"{key}.LICENSE").write_text(corpus_path("licenses", f"{key}.LICENSE").read_text(encoding="utf-8"))
    (licenses / "old.LICENSE").write_text("---\nkey: old\nis_deprecated: yes\n---\nSome deprecated text here.\n")
    rules = tmp_path / "rules"
    rules.mkdir()
    dual = ("This software is made available under the terms of either of the licenses found in "
            "LICENSE.APACHE or LICENSE.BSD. Contributions to this software are made under the terms of both licenses.")
    (rules / "apache-2.0_or_bsd-new_1.RULE").write_text(
        "---\nlicense_expression: apache-2.0 OR bsd-new\nis_license_notice: yes\n---\n\n{{" + dual + "}}\n")
    (rules / "mit_1.RULE").write_text("---\nlicense_expression: mit\nis_license_reference: yes\n---\n\nMIT license\n")
    monkeypatch.setenv("LICENSELENS_SCANCODE_LICENSES", str(licenses))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    from licenselens.identify import references

    references.scancode_index.cache_clear()
    try:
        index = reference_index("scancode")
        assert {r.key for r in index.references if not r.is_notice} == {"mit", "bsd-new", "apache-2.0"}
        cached = [p for p in (tmp_path / "cache").rglob("identify-scancode-*") if p.is_dir()]
        assert len(cached) == 1
        references.scancode_index.cache_clear()
        again = reference_index("scancode")
        assert [r.id for r in again.references] == [r.id for r in index.references]
        assert identify(BSD_3, reference="scancode").matches[0].key == "bsd-new"
        # A rule naming two licenses is matched as such; a two-word mention is not indexed.
        notice = identify(dual, reference="scancode").matches[0]
        assert (notice.key, notice.spdx, notice.is_notice) == ("apache-2.0 OR bsd-new", "Apache-2.0 OR BSD-3-Clause", True)
        assert "mit_1" not in {r.id for r in index.references}
    finally:
        references.scancode_index.cache_clear()


def test_unknown_reference_set_is_bad_input():
    from licenselens.errors import InputError

    with pytest.raises(InputError, match="unknown reference set"):
        identify(MIT, reference="nope")


# --- command line ----------------------------------------------------------------------

runner = CliRunner()


def test_cli_identify_file_text(tmp_path):
    path = tmp_path / "LICENSE"
    path.write_text(BSD_2, encoding="utf-8")
    result = runner.invoke(app, ["identify", str(path)])
    assert result.exit_code == 0, result.output
    assert "BSD-2-Clause" in result.stdout and "bsd-simplified" in result.stdout


def test_cli_identify_stdin_json():
    result = runner.invoke(app, ["identify", "-", "--format", "json"], input=MIT_0)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"]["path"] == "-"
    assert data["matches"][0]["spdx"] == "MIT-0"
    assert data["candidates"][0]["key"] == "mit-0"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["identify", "/no/such/file"], ["/no/such/file", "no such file"]),
        (["identify", "--reference", "scancode"], None),
    ],
)
def test_cli_identify_errors_exit_2_on_one_line(args, words, monkeypatch, tmp_path):
    if words is None:
        # ScanCode data missing: a clear one-line error, not a traceback.
        monkeypatch.setenv("LICENSELENS_SCANCODE_LICENSES", str(tmp_path / "missing"))
        from licenselens.identify import references

        references.scancode_index.cache_clear()
        words = ["LICENSELENS_SCANCODE_LICENSES", "not a folder"]
    result = runner.invoke(app, args, input="MIT")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


def test_cli_identify_binary_input_is_refused(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(app, ["identify", str(path)])
    assert result.exit_code == 2 and "binary" in result.stderr


# --- hostile input -----------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from([MIT, BSD_2, APACHE_HEADER, GPL2_ONLY, "\n\n", "Copyright (c) 2020 X\n", "lorem ipsum dolor ",
                           "\u201cquoted\u201d ", "# Title\n", "<b>bold</b> ", "\x0c", "\r\n"])


@given(st.lists(_PIECES, max_size=6), st.text(max_size=200))
@settings(max_examples=60, deadline=None)
def test_identify_never_crashes_and_spans_stay_in_the_text(pieces, noise):
    text = "".join(pieces) + noise
    result = identify(text)
    for match in result.matches:
        assert 0 <= match.start <= match.end <= len(text)
        assert 1 <= match.line <= match.end_line
        for diff in match.differences:
            assert 0 <= diff.start <= diff.end <= len(text)
            assert diff.text == text[diff.start : diff.end]


def test_two_similar_licenses_one_after_the_other_are_two_regions():
    # A NOTICE bundling a BSD-3 project and a BSD-2 one: neither swallows the other.
    result = identify(BSD_3 + "\n\nThis product also includes libfoo:\n\n" + BSD_2)
    assert [m.key for m in result.matches] == ["bsd-new", "bsd-simplified"]


def test_spdx_tag_lines_are_reported_with_their_line():
    text = "/*\n * SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note\n */\nint main(void);\n"
    (tag,) = identify(text).matches
    assert (tag.spdx, tag.key, tag.line) == ("GPL-2.0-only WITH Linux-syscall-note", "gpl-2.0 WITH linux-syscall-exception-gpl", 2)
    assert text[tag.start : tag.end] == "GPL-2.0-only WITH Linux-syscall-note"
    # An invalid expression on a tag line is not a license.
    assert identify("License: see the file COPYING for details\n").matches == []


def test_scancode_data_is_found_through_the_licensedcode_package(tmp_path, monkeypatch):
    # Both scancode-toolkit and licensedcode-data install a `licensedcode` package holding data/licenses.
    licenses = tmp_path / "site" / "licensedcode" / "data" / "licenses"
    licenses.mkdir(parents=True)
    (tmp_path / "site" / "licensedcode" / "__init__.py").write_text("")  # a regular package: first on the path wins
    (licenses / "mit.LICENSE").write_text(corpus_path("licenses", "mit.LICENSE").read_text(encoding="utf-8"))
    monkeypatch.delenv("LICENSELENS_SCANCODE_LICENSES", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(__import__("sys").modules, "licensedcode", raising=False)
    from licenselens.identify import references

    located = references.scancode_licenses_dir()
    assert located is not None and located[0] == licenses


def _gpl_notice_naming(tmp_path: Path, sentence: str, copying: str) -> Path:
    notice = split_front_matter((corpus_path("notices") / "gpl-3.0-plus-notice.NOTICE").read_text(encoding="utf-8"))[1]
    text = "Copyright (C) 2024 Jane Example\n\n" + notice.replace("along with this program.", sentence)
    (tmp_path / "README").write_text(text, encoding="utf-8")
    (tmp_path / "COPYING").write_text(copying, encoding="utf-8")
    return tmp_path / "README"


def test_notice_naming_a_file_beside_it_has_that_file_identified(tmp_path):
    gpl = split_front_matter((corpus_path("licenses") / "gpl-3.0.LICENSE").read_text(encoding="utf-8"))[1]
    path = _gpl_notice_naming(tmp_path, "along with this program (see the file COPYING).", gpl)
    text = path.read_text(encoding="utf-8")
    plain = identify(text, differences=False)
    assert [m.referenced for m in plain.matches] == [[]]  # nothing followed unless asked
    (match,) = identify(text, differences=False, references_from=path).matches
    assert match.key == "gpl-3.0-plus"
    assert [(r.name, r.key) for r in match.referenced] == [("COPYING", "gpl-3.0")]
    # The GPL text confirms the notice, whose "or later" grant says more than the text alone.
    assert match.resolved_key == "gpl-3.0-plus"


def test_notice_pointing_at_another_license_resolves_to_it(tmp_path):
    path = _gpl_notice_naming(tmp_path, "along with this program (see the file COPYING).", MIT)
    (match,) = identify(path.read_text(encoding="utf-8"), differences=False, references_from=tmp_path).matches
    assert (match.resolved_key, match.resolved_spdx) == ("mit", "MIT")


def test_missing_or_self_named_files_are_not_followed(tmp_path):
    path = _gpl_notice_naming(tmp_path, "along with this program (see README and LICENSE.txt).", MIT)
    (match,) = identify(path.read_text(encoding="utf-8"), differences=False, references_from=path).matches
    assert match.referenced == [] and match.resolved_key is None


def test_choice_between_named_files_is_an_or_of_their_licenses(tmp_path):
    from licenselens.identify.referenced import file_names, follow_references
    from licenselens.model import Identification, LicenseMatch

    text = ("This software is made available under the terms of *either* of the licenses\n"
            "found in LICENSE.APACHE or LICENSE.BSD.\n")
    assert file_names(text) == ["LICENSE.APACHE", "LICENSE.BSD"]
    assert file_names("see license.txt, COPYING.LESSER and LICENSE-MIT; the License applies") == [
        "license.txt", "COPYING.LESSER", "LICENSE-MIT"]
    (tmp_path / "LICENSE.APACHE").write_text("apache", encoding="utf-8")
    (tmp_path / "LICENSE.BSD").write_text("bsd", encoding="utf-8")
    found = {"LICENSE.APACHE": ("apache-2.0", "Apache-2.0"), "LICENSE.BSD": ("bsd-simplified", "BSD-2-Clause")}

    def identify_file(path: Path) -> Identification:
        key, spdx = found[path.name]
        m = LicenseMatch(key=key, spdx=spdx, name=key, reference=key, is_notice=False, score=1.0, coverage=1.0,
                         start=0, end=3, line=1, end_line=1)
        return Identification(reference_set="test", matches=[m], candidates=[])

    notice = LicenseMatch(key="bsd-new OR apache-2.0", spdx="BSD-3-Clause OR Apache-2.0", name="n", reference="n",
                          is_notice=True, score=1.0, coverage=1.0, start=0, end=len(text), line=1, end_line=2)
    result = follow_references(Identification(reference_set="test", matches=[notice], candidates=[]), text,
                               tmp_path / "LICENSE", identify_file)
    (match,) = result.matches
    assert match.resolved_key == "apache-2.0 OR bsd-simplified"
    assert match.resolved_spdx == "Apache-2.0 OR BSD-2-Clause"


def test_cli_identify_follows_references_by_default(tmp_path):
    path = _gpl_notice_naming(tmp_path, "along with this program (see the file COPYING).", MIT)
    followed = json.loads(CliRunner().invoke(app, ["identify", str(path), "--format", "json"]).stdout)
    assert followed["matches"][0]["resolved_spdx"] == "MIT"
    plain = json.loads(CliRunner().invoke(app, ["identify", str(path), "--format", "json", "--no-follow-references"]).stdout)
    assert plain["matches"][0]["resolved_spdx"] is None
    text = CliRunner().invoke(app, ["identify", str(path)]).stdout
    assert "-> COPYING: MIT" in text and "resolved through the files it names: MIT" in text


def test_a_named_file_without_a_known_license_leaves_the_notice_unresolved(tmp_path):
    path = _gpl_notice_naming(tmp_path, "along with this program (see the file COPYING).", "Nothing to see here.\n")
    (match,) = identify(path.read_text(encoding="utf-8"), differences=False, references_from=path).matches
    assert [(r.name, r.key) for r in match.referenced] == [("COPYING", None)]
    assert match.resolved_key is None and match.key == "gpl-3.0-plus"
