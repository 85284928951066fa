"""The portfolio: every chosen workflow's stage, components and cost per AI touch."""
