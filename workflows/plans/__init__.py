"""The 30-day plan: milestones, go-live and the review calendar (``schedule`` is pure)."""
