"""Pieces every app shares: the htmx request type and the timestamped base model."""
