"""`loket serve --workers 2` as an operator runs it: two uvicorn worker processes, a worker
that dies is replaced, a profile change is in the very next match whichever worker answers,
and SIGTERM stops them all."""

from __future__ import annotations

import contextlib
import http.client
import json
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
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests.conftest import TEST_SECRET_KEY
from tests.factories import create_company

LOKET = Path(sys.executable).parent / "loket"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc to see who serves"
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


def _socket_owner(local_port: int, remote_port: int) -> int | None:
    """The process holding the TCP socket 127.0.0.1:local_port <-> remote_port."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1].split(":"), fields[2].split(":")
        if int(local[1], 16) == local_port and int(remote[1], 16) == remote_port:
            inodes.add(fields[9])
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            links = [os.readlink(fd) for fd in (entry / "fd").iterdir()]
        except OSError:
            continue
        if any(link == f"socket:[{inode}]" for link in links for inode in inodes):
            return int(entry.name)
    return None


def _wait_for(check: object, timeout: float = 120) -> None:
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


def _workers(pid: int) -> set[int]:
    """uvicorn's worker processes under this supervisor (not multiprocessing's helpers)."""
    found = set()
    for child in _children(pid):
        with contextlib.suppress(OSError):
            if b"spawn_main" in (Path("/proc") / str(child) / "cmdline").read_bytes():
                found.add(child)
    return found


@contextlib.contextmanager
def serving_two_workers(
    tmp_path: Path, **settings: str
) -> Iterator[tuple[subprocess.Popen[bytes], int, str]]:
    """`loket serve --workers 2` on a fresh SQLite database, with these extra `LOKET_*`
    settings (process, port, database url)."""
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    env = {**os.environ, "LOKET_DATABASE_URL": url, "LOKET_SECRET_KEY": TEST_SECRET_KEY,
           "LOKET_LOG_LEVEL": "WARNING", **settings}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # `loket serve` makes its own
    subprocess.run([str(LOKET), "db", "upgrade"], env=env, check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [str(LOKET), "serve", "--workers", "2", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: _live(f"http://127.0.0.1:{port}") and len(_workers(process.pid)) == 2)
        yield process, port, url
    finally:
        if process.poll() is None:
            # The workers too: they may outlive a supervisor killed without warning.
            workers = _children(process.pid)
            process.kill()
            process.wait()
            for pid in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, str]]:
    with serving_two_workers(tmp_path) as running:
        yield running


def test_two_workers_serve_a_dead_one_is_replaced_and_sigterm_stops_them(
    served: tuple[subprocess.Popen[bytes], int, str],
) -> None:
    process, port, _ = served
    workers = _workers(process.pid)
    os.kill(min(workers), signal.SIGKILL)
    _wait_for(lambda: len(_workers(process.pid) - workers) == 1
              and len(_workers(process.pid)) == 2)
    assert all(_live(f"http://127.0.0.1:{port}") for _ in range(10))

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    assert not _live(f"http://127.0.0.1:{port}")


def _add_company(url: str, name: str) -> None:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            create_company(session, name, town="Tilburg", kinds={"packaging": 10})
            session.commit()
    finally:
        engine.dispose()


def _names_found(port: int) -> tuple[set[str], int | None]:
    """Company names in a match near Tilburg, over a fresh connection, and the worker process
    that answered it."""
    body = {"work_kinds": ["packaging"], "location": {"lat": 51.56, "lon": 5.09},
            "max_distance_km": 50}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/v1/match", body=json.dumps(body),
                           headers={"Content-Type": "application/json"})
        answer = connection.getresponse()
        payload = answer.read()
        assert answer.status == 200, payload
        assert connection.sock is not None
        worker = _socket_owner(port, connection.sock.getsockname()[1])
    finally:
        connection.close()
    return {m["company"]["name"] for m in json.loads(payload)["matches"]}, worker


def test_a_change_is_in_the_very_next_match_whichever_worker_answers(
    served: tuple[subprocess.Popen[bytes], int, str],
) -> None:
    process, port, url = served
    _add_company(url, "Vooraf BV")
    before, after = set(), set()
    for _ in range(30):  # each worker builds its catalogue on its first match
        names, worker = _names_found(port)
        assert names == {"Vooraf BV"}
        before.add(worker)
    _add_company(url, "Daarna BV")
    for _ in range(30):
        names, worker = _names_found(port)
        assert names == {"Vooraf BV", "Daarna BV"}
        after.add(worker)
    workers = _workers(process.pid)
    assert before == after == workers  # both workers answered, before and after the change
