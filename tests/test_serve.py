"""`loket serve --workers 2` as an operator runs it: each worker listens on a socket of its own
(SO_REUSEPORT, so the kernel spreads connections over them), a worker that dies is replaced,
and SIGTERM stops them all."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_SECRET_KEY

LOKET = Path(sys.executable).parent / "loket"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc to see who listens"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _listeners(port: int) -> set[int]:
    """Processes with a listening TCP socket on this port."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A":
            inodes.add(fields[9])
    owners = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            links = [os.readlink(fd) for fd in (entry / "fd").iterdir()]
        except OSError:
            continue
        if any(link == f"socket:[{inode}]" for link in links for inode in inodes):
            owners.add(int(entry.name))
    return owners


def _wait_for(check: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def _live(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health/live", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    yield from _serve(tmp_path, "--worker-timeout", "3")


def _serve(tmp_path: Path, *options: str) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    env = {**os.environ, "LOKET_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
           "LOKET_SECRET_KEY": TEST_SECRET_KEY, "LOKET_LOG_LEVEL": "WARNING"}
    subprocess.run([str(LOKET), "db", "upgrade"], env=env, check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [str(LOKET), "serve", "--workers", "2", "--port", str(port), *options],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: _live(f"http://127.0.0.1:{port}"))
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_each_worker_listens_on_its_own_socket_and_a_dead_one_is_replaced(
    server: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, port = server
    base = f"http://127.0.0.1:{port}"
    _wait_for(lambda: len(_children(process.pid)) >= 2)
    workers = _children(process.pid) & _listeners(port)
    assert len(workers) == 2, "each worker holds a listening socket of its own"
    assert process.pid not in _listeners(port)  # the supervisor itself accepts nothing

    os.kill(min(workers), signal.SIGKILL)
    _wait_for(lambda: len(_children(process.pid) & _listeners(port) - workers) == 1)
    assert all(_live(base) for _ in range(10))

    # A worker that hangs (here: stopped) answers no ping and is replaced as well.
    current = _children(process.pid) & _listeners(port)
    hung = max(current)
    os.kill(hung, signal.SIGSTOP)
    _wait_for(lambda: hung not in _children(process.pid)
              and len(_children(process.pid) & _listeners(port)) == 2)

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    assert not _listeners(port)
