"""Optimistic concurrency: a change names the version of the object it was based on, as the
strong ETag the last read carried. The rule lives with the services that change versioned
objects; the routers only pass the `If-Match` header through."""

from __future__ import annotations

from app.errors import PreconditionFailed, PreconditionRequired


def etag_of(version: int) -> str:
    """The strong ETag of a versioned object (optimistic concurrency)."""
    return f'"{version}"'


def check_if_match(if_match: str | None, current_etag: str, what: str) -> None:
    """A change must name the version it was based on: 428 without `If-Match`, 412 when the
    object changed since (`*` matches any version)."""
    if if_match is None:
        raise PreconditionRequired(f"Send If-Match with the ETag of your last read of this {what}.")
    tags = [tag.strip() for tag in if_match.split(",")]
    if "*" in tags or current_etag in tags:
        return
    raise PreconditionFailed(
        f"The {what} changed since you read it: fetch it again and reapply your change.",
        current_etag=current_etag,
    )
