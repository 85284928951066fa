"""Candidate workflows and the 3-criteria filter (``filter`` is pure)."""
