"""The 30/60/90-day reviews: metrics and charts (pure: ``metrics``, ``charts``), snapshots."""
