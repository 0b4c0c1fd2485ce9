"""A label the app has saved stays saved, whatever else the process did with the project file.

SQLite's locks belong to the process: closing any descriptor on the project file drops them, and
another process that opens and closes the project then deletes the write-ahead log the app still
writes into. These tests play the whole story with real processes: the "app" (a child process)
lists the project, something in it reads the project file, a second process opens and closes the
project, the app writes labels, a third process must see them, and they must survive `kill -9`.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX locks are what this is about")

APP = textwrap.dedent(
    """
    import sys, time
    from annotator.project import Project

    location, how = sys.argv[1], sys.argv[2]
    project = Project.open(location)
    project.act_as("anna")
    docs = project.list_documents()
    document = project.document(docs[0].id)
    body = next(z for z in document.zones if z.kind.value == "body")

    if how == "read-file":
        # What Qt's file dialog does to pick an icon: open, read, close.
        with open(location, "rb") as handle:
            handle.read(64)
    elif how == "qt-dialog":
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from annotator.ui import file_dialogs

        app = QApplication([])

        def close_dialog():
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(100, close_dialog)
            else:
                dialog.reject()

        # Long enough for the dialog to list the folder and gather icons and types.
        QTimer.singleShot(1500, close_dialog)
        import os
        file_dialogs.save_file_name(None, "Export workbook", os.path.join(os.path.dirname(location), "reliability.xlsx"))
    print("ready", flush=True)

    for n, line in enumerate(sys.stdin):
        if line.strip() != "write":
            break
        start = body.start + n
        label = project.add_annotation(document.id, "anna", "hedge", start, start + 1)
        print(label.id, flush=True)
    time.sleep(3600)
    """
)


def _annotator(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True, text=True, timeout=120)


def _label_ids(db: str) -> set[int]:
    # A plain reader in another process, as a teammate's tool or a backup would be.
    done = subprocess.run(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "print(' '.join(str(r[0]) for r in c.execute('select id from annotations')))", db],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return {int(x) for x in done.stdout.split()}


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    done = _annotator("demo", "--project", str(folder / "demo.db"), "--quiet")
    assert done.returncode == 0, done.stderr
    return folder / "demo.db"


@pytest.mark.parametrize("how", ["read-file", "qt-dialog"])
def test_labels_survive_lock_loss_a_second_process_and_kill_9(demo_file, tmp_path, how):
    db = str(tmp_path / "study.db")
    source = sqlite3.connect(demo_file)
    with sqlite3.connect(db) as target:
        source.backup(target)
    source.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    app = subprocess.Popen(
        [sys.executable, "-c", APP, db, how], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert app.stdout.readline().strip() == "ready"
        written = []
        for _round in range(3):
            # A second process opens and closes the project (a terminal, a teammate, a backup).
            info = _annotator("info", db)
            assert info.returncode == 0, info.stderr
            app.stdin.write("write\n")
            app.stdin.flush()
            written.append(int(app.stdout.readline()))
            # A third process sees what the app has just shown as saved.
            assert written[-1] in _label_ids(db), f"label {written[-1]} is not visible to another process"
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=30)
    assert set(written) <= _label_ids(db), "labels were lost with the app's process"
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_change_committed_into_a_removed_log_is_reported_not_shown(tmp_path):
    """If the log is taken away while a change is committed, the writer hears about it, and the next
    change lands in the log that is on disk."""
    from sqlalchemy import event

    from annotator.project import Project
    from annotator.storage.sqlite_guard import StorageLostError

    path = tmp_path / "study.db"
    wal = f"{path}-wal"
    with Project.create(path) as project:
        project.update_settings(name="first")
        with project._engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

        def move_log_away(_conn):  # runs just before the commit reaches SQLite
            os.rename(wal, wal + ".elsewhere")

        event.listen(project._engine, "commit", move_log_away)
        with pytest.raises(StorageLostError, match="write-ahead log"):
            project.update_settings(name="second")
        event.remove(project._engine, "commit", move_log_away)

        project.update_settings(name="third")
    with Project.open(path) as reopened:
        assert reopened.settings().name == "third"
