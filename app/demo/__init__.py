"""Realistic fictional demo data for ``loket demo load``."""

from app.demo.generator import demo_companies

__all__ = ["demo_companies"]
