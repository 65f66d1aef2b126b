"""GET /metrics for Prometheus: the processes' own figures and the outbox's, read at scrape
time. Served only when LOKET_METRICS_TOKEN is set, and only to that bearer token."""
