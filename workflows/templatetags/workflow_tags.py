"""Template filters for maps."""

from decimal import Decimal

from django import template

from workflows.maps.analysis import format_minutes

register = template.Library()


@register.filter
def minutes(value: Decimal | int | float | None) -> str:
    """Minutes as people read them: "9 s", "47 min", "5 h 06 min"."""
    if value is None:
        return "—"
    return format_minutes(Decimal(str(value)))
