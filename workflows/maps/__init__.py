"""Workflow maps: their shapes, analysis, swimlane chart and exchange formats (pure: ``shapes``,
``analysis``, ``charts``, ``exchange``), and the map editor."""
