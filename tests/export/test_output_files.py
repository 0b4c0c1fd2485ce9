"""Every export is written whole or not at all, and opens for colleagues as the umask allows.

Writers run in this process here; tests/test_cli_outputs.py kills and interrupts the real command line.
"""

from __future__ import annotations

import os
import socket
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.export.exchange import export_docbin, export_spans
from annotator.export.manual import write_manual_docx, write_manual_markdown
from annotator.export.webanno import export_webanno
from annotator.merge import export_coder_file


def _agreement_json(project, out: Path) -> None:
    assert main(["agreement", "--project", project.location, "--json", str(out), "--status", "any", "--samples", "0", "-q"]) == 0


def _reliability_workbook(project, out: Path) -> None:
    assert main(["agreement", "--project", project.location, "--xlsx", str(out), "--status", "any", "--samples", "0", "-q"]) == 0


def _codebook(project, out: Path) -> None:
    assert main(["codebook", "export", str(out), "--project", project.location]) == 0


# (what, how to write it into a folder, the files it writes there)
WRITERS = {
    "spans csv": (lambda p, f: export_spans(p, f / "spans.csv"), ["spans.csv", "spans_document_codes.csv"]),
    "spans xlsx": (lambda p, f: export_spans(p, f / "spans.xlsx"), ["spans.xlsx"]),
    "spans jsonl": (lambda p, f: export_spans(p, f / "spans.jsonl"), ["spans.jsonl"]),
    "docbin": (lambda p, f: export_docbin(p, f / "train.spacy"), ["train.spacy"]),
    "webanno": (lambda p, f: export_webanno(p, f), ["Z-2.tsv", "annotator-study.json"]),
    "manual md": (lambda p, f: write_manual_markdown(p.codebook(), f / "manual.md"), ["manual.md"]),
    "manual docx": (lambda p, f: write_manual_docx(p.codebook(), f / "manual.docx"), ["manual.docx"]),
    "coder file": (lambda p, f: export_coder_file(p, f / "laptop.db", coder="anna"), ["laptop.db"]),
    "agreement json": (lambda p, f: _agreement_json(p, f / "results.json"), ["results.json"]),
    "reliability workbook": (lambda p, f: _reliability_workbook(p, f / "reliability.xlsx"), ["reliability.xlsx"]),
    "codebook": (lambda p, f: _codebook(p, f / "codebook.toml"), ["codebook.toml"]),
}


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_exports_open_for_the_group_as_the_umask_allows(labelled, tmp_path, umask_027):
    for what, (write, names) in WRITERS.items():
        folder = tmp_path / what.replace(" ", "-")
        folder.mkdir()
        write(labelled, folder)
        for name in names:
            mode = (folder / name).stat().st_mode & 0o777
            assert mode == 0o640, f"{what}: {name} has mode {mode:o}, expected 640 under umask 027"
        assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


class Interrupt(KeyboardInterrupt):
    pass


def _interrupt_after_first(done, _current=""):
    if done >= 1:
        raise Interrupt


@pytest.mark.parametrize(
    "write",
    [
        lambda p, f: export_spans(p, f / "spans.csv", progress=_interrupt_after_first),
        lambda p, f: export_spans(p, f / "spans.xlsx", progress=_interrupt_after_first),
        lambda p, f: export_spans(p, f / "spans.jsonl", progress=_interrupt_after_first),
        lambda p, f: export_docbin(p, f / "train.spacy", progress=_interrupt_after_first),
        lambda p, f: export_webanno(p, f / "inception", progress=_interrupt_after_first),
    ],
    ids=["csv", "xlsx", "jsonl", "docbin", "webanno"],
)
def test_ctrl_c_during_an_export_leaves_no_file(write, labelled, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Interrupt):
        write(labelled, folder)
    assert [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() or p.name.startswith(".")] == []


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:24]


def _left(folder: Path, name: str, pid: int, host: str | None = None, suffix: str = "", age: float = 3600) -> Path:
    path = folder / f".{name}.partial-{host or _host()}-{pid}-k1ll3d{suffix}"
    path.write_bytes(b"PK\x03\x04 half a file")
    old = time.time() - age
    os.utime(path, (old, old))
    return path


def test_partial_files_of_killed_runs_are_cleared_by_the_next_export(labelled, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    dead = _dead_pid()
    killed = [_left(folder, "spans.xlsx", dead), _left(folder, "laptop.db", dead),
              _left(folder, "laptop.db", dead, suffix="-wal"), _left(folder, "laptop.db", dead, suffix="-shm")]  # fmt: skip
    running = _left(folder, "spans.xlsx", os.getppid())  # another export still at work
    elsewhere = _left(folder, "spans.xlsx", dead, host="otherlaptop")  # a colleague's machine on the shared drive
    other_file = _left(folder, "notes.xlsx", dead)

    export_spans(labelled, folder / "spans.xlsx")
    export_coder_file(labelled, folder / "laptop.db", coder="anna")

    assert [p for p in killed if p.exists()] == []
    assert running.exists() and elsewhere.exists() and other_file.exists()
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == ["laptop.db", "spans.xlsx"]


def test_coder_file_is_one_self_contained_file(labelled, tmp_path):
    from annotator.project import Project

    target = tmp_path / "laptop.db"
    export_coder_file(labelled, target, coder="anna")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("laptop")) == ["laptop.db"]
    import sqlite3

    with sqlite3.connect(target) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    with Project.open(target) as coder_file:
        assert coder_file.document_count() == labelled.document_count()
        assert len(coder_file.annotations(coder="anna")) == len(labelled.annotations(coder="anna"))


def test_a_write_error_is_a_clean_message_and_leaves_nothing(labelled, tmp_path, capsys):
    folder = tmp_path / "read-only"
    folder.mkdir()
    (folder / "results.json").mkdir()  # the name is taken by a folder: the rename must fail
    code = main(["agreement", "--project", labelled.location, "--status", "any", "--json", str(folder / "results.json"), "--samples", "0", "-q"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith(f"error: {folder / 'results.json'}: cannot write") and "Traceback" not in err
    assert sorted(p.name for p in folder.iterdir()) == ["results.json"]
