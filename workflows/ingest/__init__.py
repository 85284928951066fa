"""Runs that arrive live: the run-ingest API (pushed), n8n executions (pulled), and the
n8n snippet that pushes. Pure modules: ``payloads``, ``n8n_runs``, ``n8n_snippet``, ``days``.
"""
