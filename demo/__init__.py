"""Demo data: the demo organizations, their workflow and live data, and ``load_demo``.

Its own app so that arrows point one way: demo imports every app, and ``core`` none.
"""
