"""Notifications: in-app messages, also sent by e-mail."""
