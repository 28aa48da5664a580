"""A benchmark output folder under faults: one runner at a time, each cell's JSON written whole or not at all,
and a file that does not parse never read as a result.

A runner killed at any moment leaves the folder usable: a result is written through ``<cell>.json.partial`` and
``os.replace`` (a kill leaves the old file or none, plus a partial file that the next run removes), the lock is an
``flock`` that the kernel releases with the dead process, and an interrupted probe training resumes from its last
checkpoint (``BenchmarkSuite.run_cell``).
"""
import fcntl
import glob
import json
import os
import os.path as osp
import socket
import time
from typing import Callable, Optional

from visft_mm.checkpoint.io import atomic_write

LOCK_FILE = '.visft_benchmark.lock'


class OutputFolderLock:
    """Exclusive use of a benchmark work dir for the ``with`` block; a second runner on the same folder stops at
    once with an error naming the folder and the holder (pid, host, start time)."""

    def __init__(self, work_dir: str):
        self.work_dir = work_dir
        self.path = osp.join(work_dir, LOCK_FILE)
        self._fd = None

    def __enter__(self):
        os.makedirs(self.work_dir, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors='replace').strip() or 'unknown'
            os.close(fd)
            raise RuntimeError(f'benchmark work dir {self.work_dir} is in use by another runner ({holder}); wait '
                               'for it to finish or give this one another --work-dir') from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f'pid {os.getpid()} on {socket.gethostname()} since {time.strftime("%Y-%m-%d %H:%M:%S")}'
                  .encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc):
        os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


def write_cell(path: str, record: dict) -> None:
    """``record`` as JSON at ``path``, atomically and durably; a failed write (full disk, read-only folder) is an
    error naming the file and leaves the previous file as it was."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    text = json.dumps(record, indent=1, default=lambda o: o.item() if hasattr(o, 'item') else str(o))
    atomic_write(path, text.encode(), what='benchmark result')


def read_cell(path: str, key: str, log: Callable[[str], None] = print) -> Optional[dict]:
    """The record at ``path`` if it is a complete result of the cell whose key is ``key``, else ``None`` (the
    cell is computed again).  A file that is not valid JSON (cut short outside this runner) is said so, never
    read as a result."""
    if not osp.isfile(path):
        return None
    try:
        with open(path) as f:
            record = json.load(f)
    except (ValueError, UnicodeDecodeError) as e:
        log(f'{path} is not a complete result ({type(e).__name__}: {e}): the cell is computed again')
        return None
    if not isinstance(record, dict) or record.get('key') != key or not isinstance(record.get('metrics'), dict):
        return None
    return record


def remove_partials(work_dir: str) -> list:
    """Deletes the ``*.partial`` result files a killed runner left (call while holding the lock)."""
    found = glob.glob(osp.join(work_dir, 'results', '**', '*.partial'), recursive=True)
    for path in found:
        os.remove(path)
    return found
