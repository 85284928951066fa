"""Numbers in words people read: "83rd", not "83th"."""

from django import template

register = template.Library()


@register.filter
def ordinal(value: int | str | None) -> str:
    """``83`` -> ``"83rd"``, ``11`` -> ``"11th"``, ``None`` -> ``""``."""
    if value is None or value == "":
        return ""
    number = int(value)
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
