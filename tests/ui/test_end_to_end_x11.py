"""The installed `annotator` in a real X server, driven by real key events (xdotool)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ci_programs import require

from annotator.domain import Status
from annotator.project import Project

pytestmark = pytest.mark.xvfb


def _need(tool: str) -> str:
    return require(tool)


@pytest.fixture
def xserver(tmp_path):
    xvfb = _need("Xvfb")
    _need("xdotool")
    display = f":{90 + os.getpid() % 100}"
    proc = subprocess.Popen([xvfb, display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.skip(f"Xvfb could not start on {display}")
        time.sleep(0.1)
    yield display
    proc.terminate()
    proc.wait(5)


def xdo(display, *args, check=True):
    return subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display},
                          capture_output=True, text=True, timeout=30, check=check)  # fmt: skip


def test_real_keys_in_a_real_window_reach_the_database(xserver, article_project, tmp_path):
    location = article_project.location
    article_project.close()
    exe = Path(sys.executable).with_name("annotator")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "annotator"]
    env = {**os.environ, "DISPLAY": xserver, "QT_QPA_PLATFORM": "xcb", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "LANGUAGE": "en", "LANG": "C.UTF-8"}  # fmt: skip
    app = subprocess.Popen([*command, "open", location, "--coder", "xcoder"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        window = None
        deadline = time.monotonic() + 60
        while window is None and time.monotonic() < deadline:
            found = xdo(xserver, "search", "--onlyvisible", "--name", "annotator", check=False).stdout.split()
            window = found[-1] if found else None
            if app.poll() is not None:
                pytest.fail(f"annotator exited early:\n{app.stdout.read()}")
            time.sleep(0.3)
        assert window, "no annotator window appeared within 60 s"
        xdo(xserver, "windowfocus", "--sync", window, check=False)
        time.sleep(1.0)
        # Focus the text, select the first line (the kicker), label it "loaded language" (key 6),
        # set the tone with its key, mark done, quit.
        for keys in (["F6"], ["ctrl+Home"], ["shift+End"], ["6"], ["y"], ["ctrl+Return"]):
            xdo(xserver, "key", "--clearmodifiers", *keys)
            time.sleep(0.4)
        xdo(xserver, "key", "--clearmodifiers", "ctrl+q")
        app.wait(20)
    finally:
        if app.poll() is None:
            app.kill()
    with Project.open(location) as p:
        [label] = p.annotations(coder="xcoder")  # on the document the app opened first
        first_line = p.document(label.document_id).text.split("\n")[0]
        assert (label.category, label.text) == ("loaded_language", first_line)
        opened = label.document_id
        assert [(l.category, l.value) for l in p.document_labels(opened, "xcoder")] == [("tone", "negative")]
        assert p.status(opened, "xcoder")[0] is Status.DONE
