"""Packaging metadata: SPDX licence string (needs setuptools>=77), no unused dependencies."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower()


def test_license_is_an_spdx_string_with_a_backend_that_supports_it():
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    setuptools = next(r for r in PYPROJECT["build-system"]["requires"] if _name(r) == "setuptools")
    minimum = re.search(r">=\s*(\d+)", setuptools)
    assert minimum and int(minimum.group(1)) >= 77, setuptools


def test_every_runtime_dependency_is_imported_somewhere():
    import_names = {"pyyaml": "yaml", "charset-normalizer": "charset_normalizer", "python-crfsuite": "pycrfsuite",
                    "python-docx": "docx", "argon2-cffi": "argon2"}
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "chainatlas").rglob("*.py"))
    for req in PYPROJECT["project"]["dependencies"]:
        name = _name(req)
        if name == "python-multipart":  # fastapi's form/upload parsing needs it; never imported by us
            continue
        module = import_names.get(name, name.replace("-", "_"))
        assert re.search(rf"^\s*(?:import|from)\s+{module}\b", source, re.M), f"{name} is never imported"
