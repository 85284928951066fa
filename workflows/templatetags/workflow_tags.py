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


@register.filter
def dimension_labels(ids: tuple[str, ...], choices: list[tuple[str, str]]) -> str:
    """The labels of dimension ``ids`` in the definition's order, comma-separated."""
    chosen = set(ids)
    return ", ".join(label for id_, label in choices if id_ in chosen)
