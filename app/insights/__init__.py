"""Demand insights: where the demand is (searches, stored requests, call-outs) per kind of work,
region and month, next to the supply, with small groups of requesters never shown."""
