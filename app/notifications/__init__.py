"""Notifications: a transactional outbox, delivered by `loket worker` as email and as signed
partner webhooks."""
