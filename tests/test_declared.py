"""Declared licenses from real metadata, read as SPDX; ambiguity said, unknowns left unknown."""

from __future__ import annotations

import pytest

from licenselens.declared import from_model_card, from_npm, from_python_metadata, read_declared, to_spdx
from licenselens.errors import InputError
from licenselens.identify.references import split_front_matter
from licenselens.resources import corpus_path


@pytest.mark.parametrize(
    ("declared", "spdx"),
    [
        # Free text seen in PyPI "License" fields and npm manifests.
        ("Apache 2", "Apache-2.0"),
        ("Apache 2.0", "Apache-2.0"),
        ("Apache License, Version 2.0", "Apache-2.0"),
        ("Apache License 2.0", "Apache-2.0"),
        ("Apache Software License 2.0", "Apache-2.0"),
        ("MIT License", "MIT"),
        ("MIT license", "MIT"),
        ("The MIT License (MIT)", "MIT"),
        ("GPLv3+", "GPL-3.0-or-later"),
        ("GPLv2", "GPL-2.0-only"),
        ("GNU GPL v3", "GPL-3.0-only"),
        ("GPL-2.0 or later", "GPL-2.0-or-later"),
        ("LGPL-2.1+", "LGPL-2.1-or-later"),
        ("LGPL v2.1 or any later version", "LGPL-2.1-or-later"),
        ("GNU Lesser General Public License v2.1", "LGPL-2.1-only"),
        ("AGPLv3", "AGPL-3.0-only"),
        ("BSD 3-Clause License", "BSD-3-Clause"),
        ("3-clause BSD", "BSD-3-Clause"),
        ("new BSD license", "BSD-3-Clause"),
        ("Simplified BSD", "BSD-2-Clause"),
        ("MPL 2.0", "MPL-2.0"),
        ("Mozilla Public License 2.0", "MPL-2.0"),
        ("Eclipse Public License 2.0", "EPL-2.0"),
        ("PSF", "PSF-2.0"),
        ("ISC license (ISCL)", "ISC"),
        ("The Unlicense", "Unlicense"),
        ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
        ("Creative Commons Attribution-NonCommercial 4.0 International", "CC-BY-NC-4.0"),
        ("MIT or Apache 2", "MIT OR Apache-2.0"),
        ("Apache License 2.0 / MIT", "Apache-2.0 OR MIT"),
        # SPDX expressions as written in License-Expression and npm "license".
        ("MIT", "MIT"),
        ("apache-2.0", "Apache-2.0"),
        ("(MIT OR Apache-2.0)", "MIT OR Apache-2.0"),
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0"),
        ("BSD-2-Clause OR Apache-2.0", "BSD-2-Clause OR Apache-2.0"),
    ],
)
def test_free_text_and_expressions(declared, spdx):
    result = read_declared(declared)
    assert result.spdx == spdx, result
    assert result.original == declared
    assert not result.ambiguous
    assert 0.5 < result.confidence <= 1.0


def test_valid_expression_is_read_with_full_confidence():
    result = read_declared("Apache-2.0 OR MIT")
    assert (result.via, result.confidence) == ("spdx-expression", 1.0)


@pytest.mark.parametrize(
    ("declared", "members"),
    [
        ("BSD", {"BSD-2-Clause", "BSD-3-Clause"}),
        ("License :: OSI Approved :: BSD License", {"BSD-2-Clause", "BSD-3-Clause"}),
        ("Apache Software License", {"Apache-2.0", "Apache-1.1"}),
        ("License :: OSI Approved :: Apache Software License", {"Apache-2.0"}),
        ("GPL", {"GPL-2.0-only", "GPL-3.0-or-later"}),
        ("gemma", {"LicenseRef-scancode-gemma-tou-2024-04-01"}),
        ("openrail", {"LicenseRef-scancode-bigscience-open-rail-m"}),
    ],
)
def test_family_names_are_ambiguous_not_guessed(declared, members):
    result = read_declared(declared)
    assert result.spdx is None and result.ambiguous
    assert members <= set(result.candidates)
    assert result.note
    with pytest.raises(InputError, match="one of"):
        to_spdx(declared)


@pytest.mark.parametrize(
    ("classifier", "spdx"),
    [
        ("License :: OSI Approved :: MIT License", "MIT"),
        ("License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later"),
        ("License :: OSI Approved :: GNU General Public License v3 (GPLv3)", "GPL-3.0-only"),
        ("License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)", "LGPL-3.0-only"),
        ("License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"),
        ("License :: OSI Approved :: Python Software Foundation License", "PSF-2.0"),
        ("License :: OSI Approved :: The Unlicense (Unlicense)", "Unlicense"),
        ("License :: OSI Approved :: ISC License (ISCL)", "ISC"),
        ("License :: OSI Approved :: Boost Software License 1.0 (BSL-1.0)", "BSL-1.0"),
        ("License :: OSI Approved :: MIT No Attribution License (MIT-0)", "MIT-0"),
        ("License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0-1.0"),
    ],
)
def test_trove_classifiers(classifier, spdx):
    result = read_declared(classifier)
    assert (result.spdx, result.via) == (spdx, "classifier")


@pytest.mark.parametrize(
    "declared",
    ["License :: Other/Proprietary License", "License :: Public Domain", "Proprietary", "UNLICENSED",
     "SEE LICENSE IN LICENSE.txt", "Dual License", "other", "foo bar license", "Acme Community License v7"],
)
def test_unknown_strings_stay_unknown(declared):
    result = read_declared(declared)
    assert result.spdx is None and not result.ambiguous
    assert result.note
    with pytest.raises(InputError):
        to_spdx(declared)


@pytest.mark.parametrize(
    ("card_id", "spdx"),
    [
        ("llama3.1", "LicenseRef-scancode-llama-3.1-license-2024"),
        ("llama3.2", "LicenseRef-scancode-llama-3.2-license-2024"),
        ("llama3.3", "LicenseRef-scancode-llama-3.3-license-2024"),
        ("llama2", "LicenseRef-scancode-llama-2-license-2023"),
        ("bigscience-openrail-m", "LicenseRef-scancode-bigscience-open-rail-m"),
        ("creativeml-openrail-m", "LicenseRef-scancode-stable-diffusion-2022-08-22"),
        ("openrail++", "LicenseRef-scancode-bigscience-open-rail-m2"),
        ("bigcode-openrail-m", "LicenseRef-scancode-bigcode-open-rail-m-v1"),
        ("apache-2.0", "Apache-2.0"),
        ("mit", "MIT"),
        ("cc-by-nc-4.0", "CC-BY-NC-4.0"),
        ("gpl-3.0", "GPL-3.0-only"),
        ("odbl", "ODbL-1.0"),
    ],
)
def test_hugging_face_model_card_ids(card_id, spdx):
    assert from_model_card(card_id).spdx == spdx


def test_hugging_face_other_with_license_name():
    named = from_model_card("other", "deepseek-license")
    assert named.spdx == "LicenseRef-deepseek-license" and named.confidence < 0.9
    assert "custom license" in named.note
    known = from_model_card("other", "llama3.2")
    assert known.spdx == "LicenseRef-scancode-llama-3.2-license-2024"
    assert from_model_card("other").spdx is None
    assert from_model_card(["mit", "apache-2.0"]).spdx == "MIT OR Apache-2.0"


def test_python_metadata_precedence():
    # License-Expression (PEP 639) wins over everything.
    assert from_python_metadata("MIT OR Apache-2.0", "BSD", ["License :: OSI Approved :: BSD License"]).spdx == "MIT OR Apache-2.0"
    # A readable License field comes next.
    assert from_python_metadata(None, "Apache 2.0", ["License :: OSI Approved :: MIT License"]).spdx == "Apache-2.0"
    # An unreadable License field falls back to the classifiers.
    assert from_python_metadata(None, "UNKNOWN", ["License :: OSI Approved :: MIT License"]).spdx == "MIT"
    both = from_python_metadata(classifiers=["License :: OSI Approved :: MIT License",
                                             "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)"])
    assert both.spdx == "MIT AND MPL-2.0" and both.note == "several license classifiers"
    ambiguous = from_python_metadata(classifiers=["License :: OSI Approved :: BSD License"])
    assert ambiguous.spdx is None and ambiguous.ambiguous
    bad = from_python_metadata("MIT OR", None, [])
    assert bad.spdx is None and "position" in bad.note


def test_python_license_field_holding_a_whole_text():
    body = split_front_matter(corpus_path("licenses", "bsd-new.LICENSE").read_text(encoding="utf-8"))[1]
    result = from_python_metadata(None, body, [])
    assert (result.spdx, result.via) == ("BSD-3-Clause", "license-text")


def test_npm_manifests():
    assert from_npm({"license": "(MIT OR Apache-2.0)"}).spdx == "MIT OR Apache-2.0"
    assert from_npm({"license": {"type": "ISC", "url": "https://opensource.org/licenses/ISC"}}).spdx == "ISC"
    legacy = from_npm({"licenses": [{"type": "MIT", "url": "x"}, {"type": "Apache-2.0", "url": "y"}]})
    assert legacy.spdx == "MIT OR Apache-2.0"
    assert from_npm({"license": "UNLICENSED"}).spdx is None
    assert from_npm({}).spdx is None


def test_to_spdx_for_scan():
    assert to_spdx("Apache License, Version 2.0") == "Apache-2.0"
    assert to_spdx("License :: OSI Approved :: MIT License") == "MIT"
