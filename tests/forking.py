"""Run a piece of work in a forked child and kill it with SIGKILL at a chosen moment.

The child is a fork of the test process (everything already imported), so a
round costs milliseconds, not an interpreter start: twenty rounds of killing
an operation mid-way take a few seconds. The child reports each acknowledged
step (a line) through a pipe; whatever it printed before the kill was
acknowledged to the user.
"""

from __future__ import annotations

import os
import signal
import time
import traceback
from collections.abc import Callable

Ack = Callable[[str], None]


class ChildFailed(AssertionError):
    """Raised when the child ended by itself (an exception) instead of being killed."""


def start(work: Callable[[Ack], None]) -> tuple[int, int]:
    """Fork a child that runs ``work(ack)``; return (pid, read end of its acknowledgement pipe)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 0
        try:
            os.close(read)
            out = os.fdopen(write, "w", buffering=1)

            def ack(line: str) -> None:
                out.write(line + "\n")
                out.flush()

            work(ack)
        except BaseException:  # noqa: BLE001 - reported through the exit code
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def wait_for_line(fd: int, timeout: float = 30.0) -> str:
    """Read the child's first line (it says "ready" once set up)."""
    deadline = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n"):
        if time.monotonic() > deadline:
            raise TimeoutError("the child did not get ready")
        chunk = os.read(fd, 1)
        if not chunk:
            raise ChildFailed("the child ended before it was ready")
        data += chunk
    return data.decode().strip()


def kill_after(pid: int, fd: int, delay: float) -> list[str]:
    """SIGKILL the child after ``delay`` seconds; return every line it acknowledged."""
    time.sleep(delay)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:  # pragma: no cover - already gone
        pass
    _, status = os.waitpid(pid, 0)
    with os.fdopen(fd) as fh:
        lines = [line.strip() for line in fh.read().splitlines() if line.strip()]
    if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
        raise ChildFailed(f"the child ended with status {status} before the kill")
    return lines


def run_to_end(pid: int, fd: int) -> list[str]:
    """Wait for a child that ends by itself; return its lines (it must exit 0)."""
    _, status = os.waitpid(pid, 0)
    with os.fdopen(fd) as fh:
        lines = [line.strip() for line in fh.read().splitlines() if line.strip()]
    if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
        raise ChildFailed(f"the child failed (status {status})")
    return lines
