"""The change feed: which company profiles changed since a point, so partners stay in sync."""
