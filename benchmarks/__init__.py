"""Matching benchmark: the in-memory engine against the same query in PostgreSQL with PostGIS.

Run `python -m benchmarks.run --help`; docs/performance.md explains the method and the figures.
"""
