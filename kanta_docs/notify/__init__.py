"""Notifications to firms: e-mail digests and immediate mails, in-app notifications, signed
webhooks. Every message goes through the delivery log (`deliveries.py`) with an idempotency key."""
