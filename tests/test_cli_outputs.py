"""Output files of the real command line, killed or interrupted: the name either is absent or holds the whole output.

The commands run as separate processes (`python -m annotator …`) and are stopped the way a user or a
machine stops them: SIGKILL at random moments, SIGINT (Ctrl+C), and a file-size limit that makes a
write fail half way, as a full disk does.
"""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.domain import Status
from annotator.project import Project

SRC = Path(__file__).resolve().parents[1] / "src"
DOCUMENTS = 24


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    """Two coders who finished 24 articles: enough for each command to take a moment."""
    folder = tmp_path_factory.mktemp("study")
    corpus = folder / "corpus.jsonl"
    sentence = "Die neue Brücke über die Aare könnte teurer werden, sagen Fachleute. "
    corpus.write_text(
        "".join(
            json.dumps({"id": f"d{i}", "title": f"Artikel {i}", "text": sentence * 30 + f"Folge {i}.", "source": "Landbote"}) + "\n"
            for i in range(DOCUMENTS)
        ),
        encoding="utf-8",
    )
    path = folder / "study.db"
    with Project.create(path) as project:
        assert project.import_corpus(corpus).new == DOCUMENTS
        for doc in project.list_documents():
            for shift, coder in enumerate(("anna", "ben")):
                for n in range(3):
                    start = n * len(sentence) + 37 + shift
                    project.add_annotation(doc.id, coder, "hedge", start, start + 6)
                project.set_status(doc.id, coder, Status.DONE)
    return path


def command(name: str, study: Path, out: Path) -> list[str]:
    base = [sys.executable, "-m", "annotator"]
    return {
        "agreement --json": [*base, "agreement", "--project", str(study), "--json", str(out), "--samples", "50", "-q"],
        "export-coder-file": [*base, "export-coder-file", str(out), "--project", str(study), "--coder", "anna"],
        "export-webanno": [*base, "export-webanno", str(out), "--project", str(study), "-q"],
    }[name]


OUTPUT_NAME = {
    "agreement --json": "results.json", "export-coder-file": "laptop.db", "export-webanno": "inception",
}  # fmt: skip


def start(args: list[str], **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def run_to_end(name: str, study: Path, out: Path) -> None:
    process = start(command(name, study, out))
    assert process.wait(timeout=120) == 0, process.stderr.read()
    check_complete(name, out)


def check_complete(name: str, path: Path) -> None:
    """Raise unless `path` holds the whole output of the command."""
    if name == "agreement --json":
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["documents"] == DOCUMENTS, data["documents"]
    elif name == "export-webanno":
        assert len(list(path.glob("*.tsv"))) == DOCUMENTS
        assert json.loads((path / "annotator-study.json").read_text(encoding="utf-8"))["documents"] == DOCUMENTS
    else:
        with Project.open(path) as coder_file:
            assert coder_file.document_count() == DOCUMENTS
            assert len(coder_file.annotations(coder="anna")) == DOCUMENTS * 3


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial-" in p.name or p.name.endswith(("-wal", "-shm")))


@pytest.mark.parametrize("name", ["agreement --json", "export-coder-file"])
def test_a_killed_command_leaves_the_whole_output_or_none(name, study, tmp_path):
    reference = tmp_path / "reference"
    reference.mkdir()
    began = time.monotonic()
    run_to_end(name, study, reference / OUTPUT_NAME[name])
    full = time.monotonic() - began

    target = tmp_path / OUTPUT_NAME[name]
    rng = random.Random(f"kills {name}")
    for _kill in range(4):
        process = start(command(name, study, target))
        time.sleep(rng.uniform(0.25, 0.9) * full)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        if target.exists():
            check_complete(name, target)  # whatever carries the final name is the whole output
            if name == "export-coder-file":
                target.unlink()  # handed out; the next run writes a new one
        assert all(".partial-" in n for n in leftovers(tmp_path)), leftovers(tmp_path)
    # The next run finishes and clears the partial files the killed ones left behind.
    run_to_end(name, study, target)
    assert leftovers(tmp_path) == []


def test_agreement_json_cut_off_mid_write_is_not_left_under_its_name(study, tmp_path):
    out = tmp_path / "results.json"

    def small_files():  # a write past 64 KiB fails half way, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))

    cut = start(command("agreement --json", study, out), preexec_fn=small_files)
    assert cut.wait(timeout=120) == 1
    assert not out.exists(), f"{out.stat().st_size} bytes of truncated JSON under the final name"
    assert leftovers(tmp_path) == []
    assert "results.json: cannot write (File too large)" in cut.stderr.read()

    again = start(command("agreement --json", study, out))
    assert again.wait(timeout=120) == 0, again.stderr.read()
    check_complete("agreement --json", out)


def writing_started(out: Path) -> bool:
    """The output is being written: its file (final or partial) or its folder's first entry exists."""
    if out.is_dir():
        return any(out.iterdir())
    return any(p.name.startswith((out.name, f".{out.name}")) for p in out.parent.iterdir())


@pytest.mark.parametrize("name", ["export-coder-file", "export-webanno"])
def test_ctrl_c_leaves_no_output_and_the_same_command_then_succeeds(name, study, tmp_path):
    out = tmp_path / OUTPUT_NAME[name]
    process = start(command(name, study, out))
    deadline = time.monotonic() + 60
    while not writing_started(out):
        assert process.poll() is None, "finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 130, process.stderr.read()
    assert not out.exists() or (out.is_dir() and not any(out.iterdir())), "an interrupted export left output behind"
    assert leftovers(tmp_path) == []

    run_to_end(name, study, out)
    assert leftovers(tmp_path) == [] and (not out.is_dir() or leftovers(out) == [])
