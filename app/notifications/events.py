"""The events partners can subscribe to."""

from __future__ import annotations

EVENT_TYPES: tuple[str, ...] = (
    "request.published",
    "invitation.created",
    "invitation.answered",
    "request.closed",
    "company.updated",
)
