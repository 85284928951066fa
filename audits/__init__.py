"""The Revenue Audit intake and the consultant pipeline."""
