"""The process's own Prometheus metrics: HTTP requests per route template and status, and
catalogue rebuilds. Figures read from the database at scrape time (the outbox) are added by
`app/metrics/router.py`.

Under `loket serve --workers N` every worker process writes its figures to files in
`PROMETHEUS_MULTIPROC_DIR` (prometheus-client's multiprocess mode, set up by `loket serve`),
and a scrape, whichever worker answers it, sums them all. The variable must be set before
this module is imported, which `loket serve` does before uvicorn starts its workers.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
from collections.abc import Iterator
from time import perf_counter

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, multiprocess

MULTIPROC_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"

# Our metrics, apart from prometheus-client's default registry (and its process collectors,
# which multiprocess mode cannot sum).
REGISTRY = CollectorRegistry(auto_describe=True)

# Route templates, never raw paths: a scan of random URLs must not make a series per URL.
UNMATCHED_ROUTE = "<unmatched>"

HTTP_REQUESTS = Counter(
    "loket_http_requests",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "loket_http_request_duration_seconds",
    "Time from receiving a request to the end of its answer, by method, route template and "
    "status code.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
CATALOGUE_REBUILDS = Histogram(
    "loket_catalogue_rebuild_duration_seconds",
    "Time to rebuild a worker's matching catalogue from the database (its _count is the "
    "number of rebuilds).",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
# One per live web worker process; a worker that died is taken out at the next scrape.
WORKER_PROCESSES = Gauge(
    "loket_http_worker_processes",
    "Web worker processes serving (the processes whose figures a scrape sums).",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)


def multiproc_dir() -> str | None:
    return os.environ.get(MULTIPROC_DIR_VARIABLE) or None


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    labels = (method, route, str(status))
    HTTP_REQUESTS.labels(*labels).inc()
    HTTP_DURATION.labels(*labels).observe(seconds)


@contextlib.contextmanager
def catalogue_rebuild() -> Iterator[None]:
    started = perf_counter()
    yield
    CATALOGUE_REBUILDS.observe(perf_counter() - started)


def process_started() -> None:
    WORKER_PROCESSES.set(1)


def process_stopped() -> None:
    directory = multiproc_dir()
    if directory is not None:
        multiprocess.mark_process_dead(os.getpid(), directory)


_LIVE_FILE = re.compile(r"gauge_live\w*?_(\d+)\.db$")


def _forget_dead_processes(directory: str) -> None:
    """Take the live gauges of workers that died without saying so (killed, crashed) out of
    the sums; their counters stay, so totals never go backwards."""
    for path in glob.glob(os.path.join(directory, "gauge_live*.db")):
        found = _LIVE_FILE.search(os.path.basename(path))
        if found is None:
            continue
        pid = int(found.group(1))
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, directory)
        except PermissionError:
            pass  # alive, another user's


def scrape_registry() -> CollectorRegistry:
    """This process's metrics, or with several workers every worker's, summed."""
    directory = multiproc_dir()
    if directory is None:
        return REGISTRY
    _forget_dead_processes(directory)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)
    return registry
