"""A fresh CI machine has every program the tests run (see tests/ci_programs.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from ci_programs import PROGRAMS, on_ci

ROOT = Path(__file__).resolve().parents[1]
APT_LIST = ROOT / ".ci" / "apt-packages.txt"

# A program name as a literal: shutil.which("x"), require("x"), or subprocess.…(["x", …]).
_CALLS = re.compile(
    r"""(?:which|require)\(\s*["']([^"']+)["']\s*\)|subprocess\.\w+\(\s*\[\s*["']([^"']+)["']"""
)
_NOT_EXTERNAL = {"bash", "sh", "dpkg-query"}  # part of every Debian machine
# Console scripts of the test extras in pyproject.toml: `make test` installs them into the venv.
_FROM_PYTHON_PACKAGES = {"lint-imports"}


def _apt_packages() -> set[str]:
    lines = (line.split("#", 1)[0].strip() for line in APT_LIST.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line}


def _programs_tests_call() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.name in {"test_ci_programs.py", "ci_programs.py"}:
            continue
        text = path.read_text(encoding="utf-8")
        for match in _CALLS.finditer(text):
            name = match.group(1) or match.group(2)
            if name not in _NOT_EXTERNAL | _FROM_PYTHON_PACKAGES:
                line = text.count("\n", 0, match.start()) + 1
                found.setdefault(name, []).append(f"{path.relative_to(ROOT)}:{line}")
    return found


def test_every_program_a_test_calls_is_in_the_table():
    called = _programs_tests_call()
    assert called, "the scan found no program at all: the pattern is broken"
    missing = {name: where for name, where in called.items() if name not in PROGRAMS}
    assert not missing, f"add these to tests/ci_programs.py with their Debian package: {missing}"


def test_every_package_the_table_names_is_installed_by_ci():
    wanted = {package for packages in PROGRAMS.values() for package in packages}
    missing = sorted(wanted - _apt_packages())
    assert not missing, f".ci/apt-packages.txt lacks {missing}"


def test_on_ci_the_packages_are_really_installed():
    if not on_ci():
        pytest.skip("checked on CI (CI=true), where .ci/run has just installed .ci/apt-packages.txt")
    if shutil.which("dpkg-query") is None:
        pytest.fail("CI runs on Debian: dpkg-query is missing")
    wanted = sorted({package for packages in PROGRAMS.values() for package in packages})
    done = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\n", *wanted], capture_output=True, text=True)
    installed = {line.split()[0] for line in done.stdout.splitlines() if line.endswith(" installed")}
    assert set(wanted) <= installed, f"not installed: {sorted(set(wanted) - installed)}"
