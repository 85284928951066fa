"""URL converters of the workflows app."""


class MapKindConverter:
    """``current`` or ``future``: anything else does not match, so the URL answers 404."""

    regex = "current|future"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
