"""`loket serve --workers 2` as an operator runs it: each worker listens on a socket of its own
(SO_REUSEPORT, so the kernel spreads connections over them), a worker that dies is replaced,
and SIGTERM stops them all."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests.conftest import TEST_SECRET_KEY
from tests.factories import create_company

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


def _serve(
    tmp_path: Path, *options: str, before: Callable[[str], None] | None = None,
    log: Path | None = None, upgrade: bool = True,
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`loket serve --workers 2` on a fresh SQLite database; `before(url)` runs once the schema
    is in place; with `log`, the server's INFO log goes there."""
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    env = {**os.environ, "LOKET_DATABASE_URL": url, "LOKET_SECRET_KEY": TEST_SECRET_KEY,
           "LOKET_LOG_LEVEL": "INFO" if log else "WARNING"}
    if upgrade:
        subprocess.run([str(LOKET), "db", "upgrade"], env=env, check=True, capture_output=True)
    if before is not None:
        before(url)
    port = _free_port()
    written = None if log is None else log.open("wb")
    process = subprocess.Popen(
        [str(LOKET), "serve", "--workers", "2", "--port", str(port), *options],
        env=env, stdout=written or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if written else subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: _live(f"http://127.0.0.1:{port}"))
        yield process, port
    finally:
        if process.poll() is None:
            # The workers too: they may outlive a supervisor killed without warning.
            workers = _children(process.pid)
            process.kill()
            process.wait()
            for pid in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        if written is not None:
            written.close()


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


def _add_company(url: str, name: str) -> None:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            create_company(session, name, town="Tilburg", kinds={"packaging": 10})
    finally:
        engine.dispose()


def _names_found(base: str) -> set[str]:
    """Company names in a match near Tilburg, over a fresh connection (any worker)."""
    body = {"work_kinds": ["packaging"], "location": {"lat": 51.56, "lon": 5.09},
            "max_distance_km": 50}
    with httpx.Client(timeout=30) as client:
        answer = client.post(f"{base}/v1/match", json=body)
    assert answer.status_code == 200, answer.text
    return {m["company"]["name"] for m in answer.json()["matches"]}


def test_workers_start_from_a_catalogue_loaded_once_and_still_see_every_change(
    tmp_path: Path,
) -> None:
    log = tmp_path / "serve.log"
    served = _serve(tmp_path, before=lambda url: _add_company(url, "Vooraf BV"), log=log)
    process, port = next(served)
    try:
        base = f"http://127.0.0.1:{port}"
        loaded = [line for line in log.read_text().splitlines()
                  if "catalogue_loaded_for_workers" in line]
        assert len(loaded) == 1 and "sites=1" in loaded[0]  # once, by the supervisor
        assert all(_names_found(base) == {"Vooraf BV"} for _ in range(6))

        # A change after the load is in the very next match, whichever worker answers...
        _add_company(f"sqlite:///{tmp_path / 'serve.db'}", "Daarna BV")
        assert all(_names_found(base) == {"Vooraf BV", "Daarna BV"} for _ in range(10))

        # ...also for a replacement, forked from the supervisor's older catalogue.
        _wait_for(lambda: len(_children(process.pid) & _listeners(port)) == 2)
        workers = _children(process.pid) & _listeners(port)
        os.kill(min(workers), signal.SIGKILL)
        _wait_for(lambda: len(_children(process.pid) & _listeners(port) - workers) == 1)
        assert all(_names_found(base) == {"Vooraf BV", "Daarna BV"} for _ in range(10))
        assert sum("catalogue_loaded_for_workers" in line
                   for line in log.read_text().splitlines()) == 1
    finally:
        served.close()


def test_workers_start_without_a_catalogue_when_the_database_cannot_give_one(
    tmp_path: Path,
) -> None:
    log = tmp_path / "serve.log"
    served = _serve(tmp_path, log=log, upgrade=False)  # no tables: nothing to load
    process, port = next(served)
    try:
        assert any("catalogue_not_loaded_for_workers" in line
                   for line in log.read_text().splitlines())
        assert _live(f"http://127.0.0.1:{port}")
        _wait_for(lambda: len(_children(process.pid) & _listeners(port)) == 2)
    finally:
        served.close()
