"""The fault harness: real `loket serve` and `loket worker` processes, hurt on purpose.

    .venv/bin/python -m benchmarks.faults            # the full run (about 6 minutes)
    .venv/bin/python -m benchmarks.faults --quick    # a smoke run (about 1.5 minutes)
    .venv/bin/python -m benchmarks.faults --only writers-sqlite,redis --json out.json

Every case starts its own service on a fresh database (SQLite files in a temporary directory;
PostgreSQL in an instance the harness creates itself with initdb and pg_ctl on a free port,
run as the `postgres` user when the harness runs as root), drives it with client threads over
keep-alive connections, and prints one row per case:

- writers-sqlite / writers-postgresql: `loket serve --workers 2`, 8 clients PATCHing 4
  companies with the right `If-Match` (read, add one to a counter in the description, write;
  412/409 mean "read again"). Lost updates = acknowledged increments missing from the stored
  counters; the companies' version counters must have moved by at least as much.
- worker-kill: a call-out is published every few kills while `loket worker` is killed with
  SIGKILL 20 times at random moments (short lease, slow webhook receiver, so kills land
  mid-batch); then a last worker drains the outbox. A fake SMTP server (aiosmtpd) and a fake
  webhook receiver count what arrived by Message-ID and Loket-Event-Id. Lost = outbox rows
  never received; duplicates = the same id received again; extra = ids nobody queued.
- db-restart: the harness's PostgreSQL is stopped (fast shutdown), left down 2 s and started
  while 4 clients call; the time from "the database accepts connections" to /health/ready
  answering 200 and to the first 200 a client gets.
- api-worker-kill: SIGKILL to one of the two uvicorn workers under load; the errors clients
  saw, and the time until the replacement answers a call itself.
- soak: mixed traffic (match, reads, edits) with the workers' RSS after a warm-up and at the end.
- redis-down / redis-blackhole / redis-slow: LOKET_REDIS_URL at a closed port, at a listener
  that accepts and never answers, and at a proxy in front of a real redis-server that delays
  every reply by 300 ms; answer times and what the rate limit then did.

Exit status 1 when a target is missed (see TARGETS).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import pwd
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import psycopg

BIN = Path(sys.executable).parent
LOKET = BIN / "loket"
SECRET_KEY = secrets.token_urlsafe(48)
PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
TILBURG = {"place": "Tilburg", "country": "NL"}
MATCH = {"work_kinds": ["packaging"], "location": {"lat": 51.56, "lon": 5.09},
         "max_distance_km": 50}
HIGH_LIMITS = {f"LOKET_RATE_LIMITS__{role.upper()}": "1000000/minute"
               for role in ("anonymous", "admin", "company", "entrepreneur", "partner")}


# --- small tools --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], bool], timeout: float, what: str, step: float = 0.05) -> float:
    """Poll until check() is true; the moment it was (time.monotonic())."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return time.monotonic()
        time.sleep(step)
    raise TimeoutError(f"timed out waiting for {what}")


def children(pid: int) -> set[int]:
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


def uvicorn_workers(pid: int) -> set[int]:
    found = set()
    for child in children(pid):
        with contextlib.suppress(OSError):
            if b"spawn_main" in (Path("/proc") / str(child) / "cmdline").read_bytes():
                found.add(child)
    return found


def rss_mb(pid: int) -> float:
    for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def socket_owner(local_port: int, remote_port: int) -> int | None:
    """The process holding the TCP socket 127.0.0.1:local_port <-> remote_port."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1].split(":"), fields[2].split(":")
        if int(local[1], 16) == local_port and int(remote[1], 16) == remote_port:
            inodes.add(f"socket:[{fields[9]}]")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            links = {os.readlink(fd) for fd in (entry / "fd").iterdir()}
        except OSError:
            continue
        if links & inodes:
            return int(entry.name)
    return None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


@dataclass
class Calls:
    """What clients saw: one (monotonic time, status or error name, seconds, kind) per call."""

    rows: list[tuple[float, int | str, float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, kind: str, send: Callable[[], httpx.Response]) -> httpx.Response | None:
        started = time.monotonic()
        try:
            response = send()
        except httpx.HTTPError as exc:
            self.add(started, exc.__class__.__name__, kind)
            return None
        self.add(started, response.status_code, kind)
        return response

    def add(self, started: float, status: int | str, kind: str) -> None:
        with self.lock:
            self.rows.append((started, status, time.monotonic() - started, kind))

    def statuses(self, kind: str | None = None) -> Counter[int | str]:
        return Counter(s for _, s, _, k in self.rows if kind is None or k == kind)

    def fivexx(self) -> int:
        return sum(1 for _, s, _, _ in self.rows if isinstance(s, int) and s >= 500)

    def errors(self) -> int:
        """Answers a client could not use: 5xx and broken connections."""
        return sum(1 for _, s, _, _ in self.rows if not isinstance(s, int) or s >= 500)

    def latencies_ms(self, kind: str | None = None) -> list[float]:
        return [d * 1000 for _, _, d, k in self.rows if kind is None or k == kind]


def run_clients(n: int, seconds: float, body: Callable[[int, httpx.Client], None],
                base: str, timeout: float = 15) -> None:
    """n client threads, each with its own keep-alive connection, calling body() until the
    time is up."""
    stop = time.monotonic() + seconds

    def loop(i: int) -> None:
        with httpx.Client(base_url=base, timeout=timeout) as client:
            while time.monotonic() < stop:
                body(i, client)

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def status_summary(counts: Counter[int | str]) -> str:
    return " ".join(f"{k}x{v}" for k, v in sorted(counts.items(), key=lambda kv: str(kv[0])))


# --- PostgreSQL of our own ----------------------------------------------------------------


class Postgres:
    """A throwaway PostgreSQL cluster: initdb into a temporary directory, pg_ctl on a free
    port; as the `postgres` user when we are root (initdb refuses root)."""

    def __init__(self, root: Path) -> None:
        bins = [b for b in PG_BIN_CANDIDATES if (b / "initdb").exists()]
        if not bins:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
        self.bin = bins[0]
        self.dir = root / "pgdata"
        self.port = free_port()
        self.user: str | None = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True)

    def init(self) -> None:
        self.dir.mkdir(parents=True)
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
            os.chmod(self.dir.parent, 0o755)
        self._run("initdb", "-D", str(self.dir), "-U", "postgres", "-A", "trust",
                  "--no-sync", "-E", "UTF8")
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=200 -c shared_buffers=32MB")
        (self.dir / "harness.opts").write_text(options)
        self.start()

    def start(self) -> None:
        options = (self.dir / "harness.opts").read_text()
        self._run("pg_ctl", "-D", str(self.dir), "-o", options, "-l",
                  str(self.dir / "server.log"), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.dir), "-m", mode, "-w", "stop", check=False)

    def accepts(self) -> bool:
        try:
            with psycopg.connect(self.admin_dsn(), connect_timeout=1):
                return True
        except psycopg.Error:
            return False

    def admin_dsn(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self, name: str) -> str:
        with psycopg.connect(self.admin_dsn(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"


# --- the service --------------------------------------------------------------------------


class Service:
    """`loket serve --workers N` on a database of its own, with an admin key."""

    def __init__(self, workdir: Path, database_url: str, *, workers: int = 2,
                 env: dict[str, str] | None = None, name: str = "serve") -> None:
        self.workdir = workdir
        self.url = database_url
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"{name}.log"
        self.env = {
            **os.environ, "LOKET_DATABASE_URL": database_url, "LOKET_SECRET_KEY": SECRET_KEY,
            "LOKET_ENV": "development", "LOKET_LOG_LEVEL": "WARNING", "LOKET_LOG_JSON": "true",
            "LOKET_EMAIL_DIR": str(workdir / "mail"), **HIGH_LIMITS, **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.admin = ""

    def loket(self, *args: str) -> str:
        done = subprocess.run([str(LOKET), *args], env=self.env, capture_output=True,
                              text=True, cwd=self.workdir)
        if done.returncode != 0:
            raise RuntimeError(f"loket {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    def key(self, role: str, name: str) -> str:
        created = self.loket("apikey", "create", "--role", role, "--name", name)
        return created.strip().splitlines()[-1]

    def __enter__(self) -> Service:
        self.loket("db", "upgrade")
        self.admin = self.key("admin", "fault harness")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(LOKET), "serve", "--workers", str(self.workers), "--port", str(self.port)],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir,
            )
        try:
            # One worker is uvicorn's single process; more are children of its supervisor.
            wait_for(lambda: self.live() and (self.workers == 1
                                              or len(self.worker_pids()) == self.workers),
                     180, "the service to start", step=0.2)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        workers = children(self.process.pid)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def worker_pids(self) -> set[int]:
        assert self.process is not None
        return uvicorn_workers(self.process.pid)

    def live(self) -> bool:
        try:
            return httpx.get(f"{self.base}/health/live", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def ready(self) -> bool:
        try:
            return httpx.get(f"{self.base}/health/ready", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def auth(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.admin}"}

    def add_companies(self, count: int, *, emails: bool = False) -> list[str]:
        ids = []
        with httpx.Client(base_url=self.base, timeout=30, headers=self.auth()) as client:
            for i in range(count):
                contact = f"contact{i}@werkbedrijf{i}.example.org" if emails else None
                r = client.post("/v1/companies", json=company_profile(i, contact))
                if r.status_code != 201:
                    raise RuntimeError(f"company {i}: {r.status_code} {r.text[:300]}")
                ids.append(r.json()["id"])
        return ids


def company_profile(i: int, contact_email: str | None = None) -> dict[str, Any]:
    return {
        "name": f"Werkbedrijf Fout {i}",
        "registration": {"country": "NL", "number": str(20_000_000 + i)},
        "description": "count=0",
        "email": f"info@werkbedrijf{i}.example.org",
        "phone": "+31135000000",
        "contacts": [{"name": f"Contact {i}", "role": "accountmanager",
                      "email": contact_email or f"anna{i}@werkbedrijf{i}.example.org",
                      "phone": "+31612345678"}],
        "certifications": [],
        "sites": [{"name": "Hoofdvestiging", "city": "Tilburg", "country": "NL",
                   "lat": 51.5555 + i / 1000, "lon": 5.0913, "service_radius_km": 100}],
        "capabilities": [{"work_kind": "packaging", "capacity_workers": 20}],
        "status": "active",
    }


def count_in(description: str) -> int:
    found = re.fullmatch(r"count=(\d+)", description or "")
    return int(found.group(1)) if found else 0


# --- results ------------------------------------------------------------------------------


@dataclass
class Row:
    case: str
    figures: dict[str, Any]
    verdict: str  # "ok", "MISSED: ...", or "info"

    def line(self) -> str:
        text = ", ".join(f"{k} {v}" for k, v in self.figures.items())
        return f"| {self.case} | {text} | {self.verdict} |"


def verdict(misses: list[str]) -> str:
    return "ok" if not misses else "MISSED: " + "; ".join(misses)


# --- cases --------------------------------------------------------------------------------


def writers(work: Path, url: str, label: str, seconds: float, clients: int = 8) -> Row:
    """Clients PATCH shared companies with If-Match; every acknowledged increment must be in
    the stored counter."""
    with Service(work, url, name=f"writers-{label}") as service:
        companies = service.add_companies(4)
        calls = Calls()
        acked: Counter[str] = Counter()
        lock = threading.Lock()
        headers = service.auth()
        before = {}
        with httpx.Client(base_url=service.base, headers=headers) as client:
            for cid in companies:
                before[cid] = int(client.get(f"/v1/companies/{cid}").headers["ETag"].strip('"'))

        def body(i: int, client: httpx.Client) -> None:
            cid = companies[i % len(companies)]
            read = calls.call("GET", lambda: client.get(f"/v1/companies/{cid}", headers=headers))
            if read is None or read.status_code != 200:
                time.sleep(0.05)
                return
            count = count_in(read.json()["description"])
            wrote = calls.call("PATCH", lambda: client.patch(
                f"/v1/companies/{cid}", json={"description": f"count={count + 1}"},
                headers={**headers, "If-Match": read.headers["ETag"]}))
            if wrote is not None and wrote.status_code == 200:
                with lock:
                    acked[cid] += 1

        run_clients(clients, seconds, body, service.base)
        stored, moved = {}, {}
        with httpx.Client(base_url=service.base, headers=headers) as client:
            for cid in companies:
                r = client.get(f"/v1/companies/{cid}")
                stored[cid] = count_in(r.json()["description"])
                moved[cid] = int(r.headers["ETag"].strip('"')) - before[cid]
    causes = operational_errors(service.log)
    lost = sum(max(acked[c] - stored[c], 0) for c in companies)
    phantom = sum(max(stored[c] - acked[c], 0) for c in companies)
    versions_short = sum(1 for c in companies if moved[c] < acked[c])
    patch = calls.statuses("PATCH")
    latencies = calls.latencies_ms("PATCH")
    misses = []
    if calls.fivexx():
        misses.append(f"{calls.fivexx()} answers 5xx")
    if lost or phantom or versions_short:
        misses.append(f"{lost} lost updates")
    return Row(f"writers-{label}", {
        "clients": clients, "seconds": seconds,
        "PATCH": status_summary(patch), "acked": sum(acked.values()),
        "lost": lost, "5xx": calls.fivexx(), "transport errors": sum(
            v for k, v in calls.statuses().items() if isinstance(k, str)),
        "PATCH p50/p95 ms": f"{percentile(latencies, 50):.0f}/{percentile(latencies, 95):.0f}",
        **({"503 causes": status_summary(causes)} if causes else {}),
    }, verdict(misses))


def operational_errors(log: Path) -> Counter[int | str]:
    """The database errors the service answered 503 for, from its JSON log."""
    found: Counter[int | str] = Counter()
    for line in log.read_text(errors="replace").splitlines():
        if "database_operational_error" in line:
            with contextlib.suppress(ValueError):
                found[str(json.loads(line).get("error", "?"))[:60]] += 1
    return found


class Inbox:
    """A fake SMTP server (aiosmtpd) counting Message-IDs."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content)
        await asyncio.sleep(0.1)  # a real mail server takes its time too
        with self.lock:
            self.ids.append(str(message["Message-ID"]).strip())
        return "250 Message accepted for delivery"


class Hooks:
    """A fake webhook receiver counting Loket-Event-Ids; each delivery takes `delay` s."""

    def __init__(self, delay: float) -> None:
        self.ids: list[str] = []
        self.lock = threading.Lock()
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                time.sleep(delay)
                with hooks.lock:
                    hooks.ids.append(self.headers.get("Loket-Event-Id", ""))
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def worker_kill(work: Path, kills: int, callouts: int, companies: int = 8) -> Row:
    from aiosmtpd.controller import Controller

    inbox, hooks = Inbox(), Hooks(delay=0.2)
    smtp_port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    database = work / "worker-kill.db"
    env = {
        "LOKET_EMAIL_BACKEND": "smtp", "LOKET_SMTP_HOST": "127.0.0.1",
        "LOKET_SMTP_PORT": str(smtp_port), "LOKET_SMTP_STARTTLS": "false",
        "LOKET_WEBHOOK_ALLOW_LOOPBACK": "true", "LOKET_WORKER_LEASE_SECONDS": "2",
        "LOKET_WORKER_POLL_SECONDS": "0.2", "LOKET_WORKER_BATCH_SIZE": "4",
    }
    killed_mid_batch = 0
    try:
        with Service(work, f"sqlite:///{database}", workers=1, env=env,
                     name="worker-kill") as service:
            service.add_companies(companies, emails=True)
            partner = service.key("partner", "harness partner")
            with httpx.Client(base_url=service.base, timeout=30,
                              headers=service.auth(partner)) as client:
                r = client.post("/v1/webhooks", json={"url": hooks.url, "events": [
                    "request.published", "invitation.created", "invitation.answered",
                    "request.closed"]})
                if r.status_code != 201:
                    raise RuntimeError(f"webhook: {r.status_code} {r.text[:300]}")

                def publish(n: int) -> None:
                    r = client.post("/v1/requests", json={
                        "title": f"Oproep {n}", "description": "Inpakken.",
                        "organisation": "Harness", "contact": {
                            "name": "Sanne", "email": f"sanne{n}@greenside.example.org"},
                        "criteria": {"work_kinds": ["packaging"], "location": TILBURG,
                                     "workers_needed": 5}})
                    if r.status_code != 201:
                        raise RuntimeError(f"request: {r.status_code} {r.text[:300]}")
                    r = client.post(f"/v1/requests/{r.json()['id']}/publish")
                    if r.status_code != 200:
                        raise RuntimeError(f"publish: {r.status_code} {r.text[:300]}")

                published = 0
                rng = random.Random(16)
                every = max(kills // callouts, 1)
                for k in range(kills):
                    if published < callouts and k % every == 0:
                        publish(published)
                        published += 1
                    worker = subprocess.Popen([str(LOKET), "worker"], env=service.env,
                                              cwd=work, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL)
                    try:
                        # Kill it mid-batch: soon after it claims rows (or after 40 s of
                        # nothing to claim).
                        with contextlib.suppress(TimeoutError):
                            wait_for(lambda w=worker: claimed(database, w.pid), 40,
                                     "a claim", step=0.02)
                            time.sleep(rng.uniform(0, 0.4))
                        if claimed(database, worker.pid):
                            killed_mid_batch += 1
                    finally:
                        worker.kill()
                        worker.wait()
                while published < callouts:
                    publish(published)
                    published += 1
            # A last worker drains what is left (claims of the killed ones expire in 2 s).
            worker = subprocess.Popen([str(LOKET), "worker"], env=service.env, cwd=work,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait_for(lambda: pending(database) == 0, 180, "the outbox to drain", step=0.5)
                time.sleep(1)
            finally:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
    finally:
        controller.stop()
        hooks.close()
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT id, channel, event_id, status FROM outbox").fetchall()
    mail_ids = {_hex(r[0]) for r in rows if r[1] == "email"}
    hook_ids = {_hex(r[2]) for r in rows if r[1] == "webhook"}
    got_mail = Counter({_mail_outbox_id(m): n for m, n in Counter(inbox.ids).items()})
    got_hook = Counter(h.replace("-", "") for h in hooks.ids)
    lost = len(mail_ids - set(got_mail)) + len(hook_ids - set(got_hook))
    duplicated = sum(n - 1 for n in got_mail.values()) + sum(n - 1 for n in got_hook.values())
    extra = len(set(got_mail) - mail_ids) + len(set(got_hook) - hook_ids)
    failed = sum(1 for r in rows if r[3] != "sent")
    misses = []
    if lost:
        misses.append(f"{lost} lost")
    if extra:
        misses.append(f"{extra} duplicated under another id")
    if failed:
        misses.append(f"{failed} not sent")
    return Row("worker-kill", {
        "kills": kills, "killed holding a claim": killed_mid_batch, "call-outs": callouts,
        "queued": f"{len(mail_ids)} mails + {len(hook_ids)} webhooks",
        "lost": lost, "duplicated (same id)": duplicated, "other ids": extra,
    }, verdict(misses))


def _hex(value: Any) -> str:
    return value.hex() if isinstance(value, bytes) else str(value).replace("-", "")


def _mail_outbox_id(message_id: str) -> str:
    # make_msgid(idstring=<outbox id hex>): <time.pid.random.idstring@domain>
    local = message_id.strip("<>").split("@")[0]
    return local.rsplit(".", 1)[-1]


def claimed(database: Path, pid: int) -> bool:
    """Whether the worker process `pid` holds a claim on rows not yet sent."""
    with contextlib.closing(sqlite3.connect(database, timeout=10)) as connection:
        return bool(connection.execute(
            "SELECT count(*) FROM outbox WHERE status = 'pending' AND claimed_by LIKE ?",
            (f"%:{pid}:%",),
        ).fetchone()[0])


def pending(database: Path) -> int:
    with contextlib.closing(sqlite3.connect(database, timeout=10)) as connection:
        return int(connection.execute(
            "SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0])


def mixed_traffic(service: Service, calls: Calls, companies: list[str],
                  edits: bool = True) -> Callable[[int, httpx.Client], None]:
    """Matches, reads, lists and (with edits) If-Match edits, in a fixed mix."""
    headers = service.auth()

    def body(i: int, client: httpx.Client) -> None:
        roll = random.random()
        cid = random.choice(companies)
        if roll < 0.4:
            calls.call("match", lambda: client.post("/v1/match", json=MATCH))
        elif roll < 0.7:
            calls.call("GET", lambda: client.get(f"/v1/companies/{cid}"))
        elif roll < 0.9 or not edits:
            calls.call("list", lambda: client.get("/v1/companies?limit=20"))
        else:
            read = calls.call("GET", lambda: client.get(f"/v1/companies/{cid}", headers=headers))
            if read is not None and read.status_code == 200:
                count = count_in(read.json()["description"])
                calls.call("PATCH", lambda: client.patch(
                    f"/v1/companies/{cid}", json={"description": f"count={count + 1}"},
                    headers={**headers, "If-Match": read.headers["ETag"]}))
            else:
                time.sleep(0.05)

    return body


def db_restart(work: Path, pg: Postgres, restarts: int, down_seconds: float = 2.0) -> Row:
    url = pg.new_database("loket_restart")
    with Service(work, url, name="db-restart") as service:
        companies = service.add_companies(10)
        calls = Calls()
        body = mixed_traffic(service, calls, companies)
        to_ready: list[float] = []
        to_first_200: list[float] = []
        stop = threading.Event()

        def restarter() -> None:
            for _ in range(restarts):
                time.sleep(3)
                pg.stop("fast")
                time.sleep(down_seconds)
                pg.start()
                db_ready = wait_for(pg.accepts, 60, "PostgreSQL", step=0.02)
                service_ready = wait_for(service.ready, 60, "/health/ready", step=0.02)
                to_ready.append(service_ready - db_ready)
                wait_for(lambda at=db_ready: first_200_after(calls, at) is not None, 60, "a 200")
                to_first_200.append((first_200_after(calls, db_ready) or 0.0) - db_ready)
            stop.set()

        thread = threading.Thread(target=restarter)
        thread.start()
        seconds = restarts * (3 + down_seconds + 5) + 3
        run_clients(4, seconds, body, service.base)
        thread.join()
    statuses = calls.statuses()
    five_hundred = sum(v for k, v in statuses.items() if k == 500)
    other_5xx = sum(v for k, v in statuses.items() if isinstance(k, int) and k > 503)
    misses = []
    if five_hundred or other_5xx:
        misses.append(f"{five_hundred + other_5xx} answers 500 or 5xx other than 503")
    if max(to_ready + to_first_200, default=99) > 2:
        misses.append("ready later than 2 s after the database")
    return Row("db-restart", {
        "restarts": restarts, "down": f"{down_seconds:.0f} s", "answers": status_summary(statuses),
        "ready after DB (max)": f"{max(to_ready):.2f} s",
        "first 200 after DB (max)": f"{max(to_first_200):.2f} s",
    }, verdict(misses))


def first_200_after(calls: Calls, moment: float) -> float | None:
    """When the first call answered 200 after `moment` (its end)."""
    with calls.lock:
        ends = [t + d for t, s, d, _ in calls.rows if s == 200 and t + d >= moment]
    return min(ends, default=None)


def api_worker_kill(work: Path, seconds_after: float = 5) -> Row:
    with Service(work, f"sqlite:///{work / 'api-kill.db'}", name="api-kill") as service:
        companies = service.add_companies(10)
        calls = Calls()
        body = mixed_traffic(service, calls, companies)
        replaced: dict[str, float] = {}

        def killer() -> None:
            time.sleep(3)
            before = service.worker_pids()
            victim = min(before)
            killed_at = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            new: set[int] = set()

            def spawned() -> bool:
                new.update(service.worker_pids() - before)
                return bool(new)

            replaced["spawned"] = wait_for(spawned, 180, "a new worker") - killed_at
            replaced["serves"] = wait_for(lambda: answered_by(service.port) in new, 180,
                                          "the new worker to answer", step=0.1) - killed_at

        thread = threading.Thread(target=killer)
        thread.start()
        run_clients(4, 3 + seconds_after, body, service.base)
        thread.join()
        if "serves" not in replaced:
            raise RuntimeError(f"no replacement worker answered: {replaced}")
    return Row("api-worker-kill", {
        "answers": status_summary(calls.statuses()), "errors seen": calls.errors(),
        "replacement started": f"{replaced['spawned']:.1f} s",
        "replacement serves": f"{replaced['serves']:.1f} s",
    }, "info")


def answered_by(port: int) -> int | None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
        s.recv(1024)
        return socket_owner(port, s.getsockname()[1])


def soak(work: Path, seconds: float) -> Row:
    with Service(work, f"sqlite:///{work / 'soak.db'}", name="soak") as service:
        companies = service.add_companies(30)
        warm = Calls()
        run_clients(4, 5, mixed_traffic(service, warm, companies), service.base)
        pids = sorted(service.worker_pids())
        before = [rss_mb(p) for p in pids]
        calls = Calls()
        run_clients(4, seconds, mixed_traffic(service, calls, companies), service.base)
        after = [rss_mb(p) for p in pids]
        still = service.worker_pids() == set(pids)
    latencies = calls.latencies_ms()
    misses = []
    if calls.errors():
        misses.append(f"{calls.errors()} errors")
    if not still:
        misses.append("a worker was replaced")
    return Row("soak", {
        "seconds": seconds, "calls": len(calls.rows), "errors": calls.errors(),
        "p50/p95 ms": f"{percentile(latencies, 50):.0f}/{percentile(latencies, 95):.0f}",
        "RSS MB before": "/".join(f"{v:.0f}" for v in before),
        "after": "/".join(f"{v:.0f}" for v in after),
    }, verdict(misses))


class Blackhole:
    """Accepts TCP connections and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                self.held.append(self.sock.accept()[0])

    def close(self) -> None:
        for s in self.held:
            s.close()
        self.sock.close()


class SlowProxy:
    """A TCP proxy that holds every chunk from the server `delay` seconds before passing it."""

    def __init__(self, target_port: int, delay: float) -> None:
        self.target_port, self.delay = target_port, delay
        self.loop = asyncio.new_event_loop()
        self.port = free_port()
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.server = self.loop.run_until_complete(
                asyncio.start_server(self._handle, "127.0.0.1", self.port))
            started.set()
            self.loop.run_forever()

        threading.Thread(target=run, daemon=True).start()
        started.wait(10)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter, delay: float) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while chunk := await src.read(65536):
                    if delay:
                        await asyncio.sleep(delay)
                    dst.write(chunk)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer, 0), pipe(up_reader, writer, self.delay))

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


@contextlib.contextmanager
def redis_server(work: Path) -> Iterator[int]:
    port = free_port()
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server not installed")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(work)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def up() -> bool:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                return True
            return False

        wait_for(up, 20, "redis-server")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def redis_case(work: Path, mode: str, seconds: float) -> Row:
    """Anonymous calls (limit 20/minute per IP) with Redis closed, silent or slow."""
    with contextlib.ExitStack() as stack:
        if mode == "down":
            port = free_port()
        elif mode == "blackhole":
            hole = Blackhole()
            stack.callback(hole.close)
            port = hole.port
        else:
            proxy = SlowProxy(stack.enter_context(redis_server(work)), delay=0.3)
            stack.callback(proxy.close)
            port = proxy.port
        env = {"LOKET_REDIS_URL": f"redis://127.0.0.1:{port}/0",
               "LOKET_RATE_LIMITS__ANONYMOUS": "20/minute"}
        db = f"sqlite:///{work / f'redis-{mode}.db'}"
        service = stack.enter_context(Service(work, db, env=env, name=f"redis-{mode}"))
        calls = Calls()
        headers_seen = Counter()

        def body(i: int, client: httpx.Client) -> None:
            r = calls.call("GET", lambda: client.get("/v1/work-kinds"))
            if r is not None:
                headers_seen["RateLimit" in r.headers] += 1

        run_clients(2, seconds, body, service.base, timeout=30)
    latencies = calls.latencies_ms()
    statuses = calls.statuses()
    misses = []
    if calls.errors():
        misses.append(f"{calls.errors()} errors")
    if percentile(latencies, 100) > 2000:
        misses.append("an answer took over 2 s")
    limited = statuses.get(429, 0)
    return Row(f"redis-{mode}", {
        "answers": status_summary(statuses),
        "p50/p95/max ms": f"{percentile(latencies, 50):.0f}/{percentile(latencies, 95):.0f}/"
                          f"{percentile(latencies, 100):.0f}",
        "rate limit": "enforced per process" if limited else "not enforced",
        "with RateLimit headers": headers_seen[True],
    }, verdict(misses))


# --- main ---------------------------------------------------------------------------------

CASES = ("writers-sqlite", "writers-postgresql", "worker-kill", "db-restart",
         "api-worker-kill", "soak", "redis-down", "redis-blackhole", "redis-slow")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run")
    parser.add_argument("--only", help=f"comma-separated cases of: {', '.join(CASES)}")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else list(CASES)
    unknown = set(chosen) - set(CASES)
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    quick = args.quick
    work = Path(tempfile.mkdtemp(prefix="loket-faults-"))
    rows: list[Row] = []
    started = time.monotonic()
    pg: Postgres | None = None
    try:
        if {"writers-postgresql", "db-restart"} & set(chosen):
            pg = Postgres(work)
            pg.init()
        for case in chosen:
            t0 = time.monotonic()
            print(f"-- {case} ...", file=sys.stderr, flush=True)
            try:
                row = run_case(case, work, pg, quick)
            except Exception as exc:  # a case that cannot run is a miss, not a crash
                row = Row(case, {"error": f"{exc.__class__.__name__}: {exc}"[:300]},
                          "MISSED: did not run")
            rows.append(row)
            print(f"   {row.line()}  ({time.monotonic() - t0:.0f} s)", file=sys.stderr,
                  flush=True)
    finally:
        if pg is not None:
            pg.stop("immediate")
        if args.keep:
            print(f"work directory kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"Fault harness ({'quick' if quick else 'full'}), {when}, {platform.node()}, "
          f"{os.cpu_count()} cores, {time.monotonic() - started:.0f} s\n")
    print("| case | figures | target |")
    print("| --- | --- | --- |")
    for row in rows:
        print(row.line())
    if args.json:
        args.json.write_text(json.dumps([row.__dict__ for row in rows], indent=2, default=str))
    return 1 if any(row.verdict.startswith("MISSED") for row in rows) else 0


def run_case(case: str, work: Path, pg: Postgres | None, quick: bool) -> Row:
    if case == "writers-sqlite":
        return writers(work, f"sqlite:///{work / 'writers.db'}", "sqlite", 8 if quick else 30)
    if case == "writers-postgresql":
        assert pg is not None
        return writers(work, pg.new_database("loket_writers"), "postgresql",
                       8 if quick else 30)
    if case == "worker-kill":
        return worker_kill(work, kills=5 if quick else 20, callouts=2 if quick else 7)
    if case == "db-restart":
        assert pg is not None
        return db_restart(work, pg, restarts=1 if quick else 2)
    if case == "api-worker-kill":
        return api_worker_kill(work)
    if case == "soak":
        return soak(work, 10 if quick else 60)
    mode = case.removeprefix("redis-")
    return redis_case(work, mode, 5 if quick else 10)


if __name__ == "__main__":
    sys.exit(main())
