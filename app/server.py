"""`loket serve --workers N`: N uvicorn worker processes, each listening on a socket of its own.

uvicorn's own supervisor binds one socket and shares it: whichever worker wakes first accepts
every pending connection (asyncio accepts up to the backlog per wake-up), so the 16 keep-alive
connections a load balancer or a benchmark opens at once can all land on one worker while
another idles. Here every worker binds the same address with SO_REUSEPORT and the kernel
spreads new connections over their sockets. The supervisor restarts a worker that dies or
stops answering its pings, stops when one cannot start at all, and stops them all on SIGINT
or SIGTERM.

Workers are forked from the supervisor, after `before_fork` has run there: `loket serve`
loads the matching catalogue once, so every worker (and every replacement) starts with it
and the workers share its memory pages instead of each loading a copy on its first match.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE

log = logging.getLogger("uvicorn.error")

APP = "app.main:create_app"
BACKLOG = 2048
STOP_TIMEOUT_S = 30
RESTART_PAUSE_S = 1.0  # between restarts of one worker, so a crash loop cannot spin
WORKER_TIMEOUT_S = 300.0  # a ping unanswered this long: the worker is hung


def _hung(worker: _Worker, timeout_s: float) -> bool:
    """Ping the worker now and then; True when a ping has gone unanswered for `timeout_s`."""
    now = time.monotonic()
    try:
        while worker.pipe.poll(0):
            worker.pipe.recv()
            worker.pinged_at = None
        if worker.pinged_at is None:
            worker.pipe.send(b"ping")
            worker.pinged_at = now
    except (EOFError, OSError):
        return False  # the pipe is gone with the process: it is seen as exited
    return now - worker.pinged_at > timeout_s


def reuse_port_supported() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket on host:port that other processes may bind as well (SO_REUSEPORT)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


def _answer_pings(pipe: Connection) -> None:
    """In a worker: answer the supervisor's pings (a worker that cannot is hung)."""
    try:
        while True:
            pipe.recv()
            pipe.send(b"pong")
    except (EOFError, OSError):
        return


def _worker(host: str, port: int, options: dict[str, Any], pipe: Connection) -> None:
    # Forked: drop the supervisor's handlers (uvicorn installs its own once it runs).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    threading.Thread(target=_answer_pings, args=(pipe,), daemon=True).start()
    sock = listening_socket(host, port)
    config = uvicorn.Config(APP, factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


@dataclass
class _Worker:
    process: BaseProcess
    pipe: Connection
    pinged_at: float | None = None  # a ping not answered yet


def run_workers(
    host: str, port: int, workers: int, options: dict[str, Any],
    *, timeout_s: float = WORKER_TIMEOUT_S, before_fork: Callable[[], None] | None = None,
) -> int:
    """Run `workers` processes until SIGINT/SIGTERM; the exit code for the command. A worker
    that leaves a ping unanswered for `timeout_s` is killed and replaced (the answer needs the
    GIL, which a worker's catalogue build may hold for many seconds: keep it long)."""
    # Fail here, in one place, when the address is taken by something else.
    listening_socket(host, port).close()
    if before_fork is not None:
        before_fork()
    context = multiprocessing.get_context("fork")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())

    def start() -> _Worker:
        ours, theirs = context.Pipe()
        process = context.Process(target=_worker, args=(host, port, options, theirs))
        process.start()
        theirs.close()
        log.info("Started worker process [%s]", process.pid)
        return _Worker(process, ours)

    running = [start() for _ in range(workers)]
    code = 0
    while not stop.wait(0.5):
        for i, worker in enumerate(running):
            process = worker.process
            if process.is_alive() and not _hung(worker, timeout_s):
                continue
            if process.is_alive():
                log.error("Worker [%s] answered no ping for %.0f s; replacing it.", process.pid,
                          timeout_s)
                process.kill()
                process.join()
            elif process.exitcode == STARTUP_FAILURE:
                log.error("Worker [%s] could not start; stopping.", process.pid)
                code = 1
                stop.set()
                break
            log.warning("Worker [%s] exited with %s; starting another.", process.pid,
                        process.exitcode)
            worker.pipe.close()
            time.sleep(RESTART_PAUSE_S)
            running[i] = start()
    processes = [worker.process for worker in running]
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
    return code
