"""Which files in a folder were opened, seen by the kernel (Linux inotify through ctypes).

A test helper: it sees opens by any code in any process, C++ included, which is what a test of
"the app never opens a project file outside SQLite" needs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
import sys

IN_OPEN = 0x20
_IN_NONBLOCK = 0o4000
_HEADER = struct.Struct("iIII")  # wd, mask, cookie, length of the name that follows


def available() -> bool:
    return sys.platform.startswith("linux")


class FolderWatch:
    def __init__(self, folder) -> None:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        self.fd = libc.inotify_init1(_IN_NONBLOCK)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        if libc.inotify_add_watch(self.fd, os.fsencode(folder), IN_OPEN) < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch")

    def opened(self) -> list[str]:
        """Names of files opened since the last call (a folder listing itself has an empty name)."""
        names = []
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return names
            at = 0
            while at < len(data):
                _wd, _mask, _cookie, length = _HEADER.unpack_from(data, at)
                name = data[at + _HEADER.size : at + _HEADER.size + length].rstrip(b"\0")
                if name:
                    names.append(os.fsdecode(name))
                at += _HEADER.size + length

    def close(self) -> None:
        os.close(self.fd)

    def __enter__(self) -> "FolderWatch":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
