"""Signed outbound webhooks: a consulting firm's endpoints, its events and their delivery."""
