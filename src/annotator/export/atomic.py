"""Output files that are complete or absent: written under a partial name, renamed into place at the end.

Every file the program hands to a person (exports, reports, coder files, manuals) is written
through `atomic_output`. While it is written it is called ``.<name>.partial-<host>-<pid>-<random>``
in the same folder, so it can never be taken for the finished file; only when the writer is done
is it flushed to disk and renamed over ``<name>`` in one step. A failure, a cancel or Ctrl+C
removes the partial file. A process killed outright (SIGKILL, power loss) cannot clean up: its
partial file stays, clearly named, and the next export to the same name removes it once the
process that wrote it is gone.

Permissions follow the umask like any file the user creates (``tempfile`` would leave 0600,
which colleagues on a shared drive cannot open).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_output", "current_umask", "move_in", "remove_stale_partials", "staged_folder"]

PARTIAL_MARK = ".partial-"
# SQLite writes companions beside a database under construction; they go with the partial file.
_COMPANIONS = ("-wal", "-shm", "-journal")
_STARTED = time.time()
_UMASK_LOCK = threading.Lock()


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:24] or "host"


def _partial_prefix(name: str) -> str:
    return f".{name}{PARTIAL_MARK}{_host()}-{os.getpid()}-"


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a new empty file beside `path` to write; it becomes `path` only if the block finishes.

    >>> with atomic_output("results.json") as tmp:       # doctest: +SKIP
    ...     tmp.write_text(text, encoding="utf-8")
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(path)
    handle, name = tempfile.mkstemp(prefix=_partial_prefix(path.name), dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~current_umask())
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    except BaseException:
        _remove(tmp)
        raise


@contextmanager
def staged_folder(folder: str | Path) -> Iterator[Path]:
    """Yield a hidden staging folder inside `folder` for an export of many files (one per document).

    The writer puts every file into the stage and, once all are written, hands them to `move_in`;
    the stage is removed in any case, so an interrupted export adds no file to `folder`.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(folder / "export")
    stage = Path(tempfile.mkdtemp(prefix=_partial_prefix("export"), dir=folder))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def move_in(stage: Path, folder: Path, names: list[str]) -> None:
    """Rename the staged files `names`, in this order, into `folder` (each replaces a file of that name)."""
    for name in names:
        os.replace(stage / name, folder / name)
    _fsync_folder(folder)


def remove_stale_partials(path: Path) -> list[Path]:
    """Remove partial files of `path` left by a killed process of this machine (never a running one)."""
    pattern = re.compile(
        re.escape(f".{path.name}{PARTIAL_MARK}{_host()}-") + r"(\d+)-[A-Za-z0-9_]+(?:-wal|-shm|-journal)?$"
    )
    removed = []
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None or _alive(int(match.group(1))):
            continue
        try:
            if entry.lstat().st_mtime >= _STARTED:
                continue  # written after this process started: not left over from a dead one
        except OSError:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _UMASK_LOCK:  # elsewhere the only way to read it is to set it and put it back
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill(pid, 0) would send Ctrl+C, not ask
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or cannot tell: leave its file alone
    return True


def _remove(tmp: Path) -> None:
    for name in (tmp.name, *(tmp.name + c for c in _COMPANIONS)):
        try:
            (tmp.parent / name).unlink(missing_ok=True)
        except OSError:
            pass


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; elsewhere a folder cannot be opened and this is skipped)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
