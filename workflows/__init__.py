"""Candidate workflows, the 3-criteria filter, maps, plans and reviews."""
