"""Every program outside Python that a test runs, and the Debian package that brings it.

`.ci/run` installs `.ci/apt-packages.txt` on a fresh machine; `tests/test_ci_programs.py` checks
that each package named here is in that list, that no test calls a program missing from this
table, and, on CI, that the packages are really installed. A test asks for a program with
`require(name)`: on a developer's machine without it the test is skipped with the package to
install; on CI (where `CI` is set) a missing program is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import shutil

import pytest

# program -> Debian packages it needs. LibreOffice converts both workbooks (Calc) and coding
# manuals (.docx, Writer): the program alone is not enough, each document kind needs its module.
PROGRAMS: dict[str, tuple[str, ...]] = {
    "soffice": ("libreoffice-calc-nogui", "libreoffice-writer-nogui"),
    "libreoffice": ("libreoffice-calc-nogui", "libreoffice-writer-nogui"),
    "pdftoppm": ("poppler-utils",),
    "pdftotext": ("poppler-utils",),
    "Xvfb": ("xvfb",),
    "xdotool": ("xdotool",),
    "pg_ctlcluster": ("postgresql",),
    "pg_isready": ("postgresql",),
    "psql": ("postgresql",),
}


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(program: str) -> str:
    """The program's path; skip (fail on CI) when it is not installed."""
    if program not in PROGRAMS:
        raise AssertionError(f"{program!r} is not in tests/ci_programs.py: add it with its Debian package")
    path = shutil.which(program)
    if path is None:
        message = f"{program} is not installed (apt-get install {' '.join(PROGRAMS[program])}; .ci/run does this)"
        if on_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path
