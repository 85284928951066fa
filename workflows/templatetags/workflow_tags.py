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


@register.filter
def step_named(value: str, names: dict[int, str] | None) -> str:
    """A run log's stop step as people read it: a bare number ("3") becomes "Step 3 (Send
    the reply)" from the future map, or "Step 3"; a name stays as written."""
    text = str(value).strip()
    if not text.isdigit():
        return text
    name = (names or {}).get(int(text))
    return f"Step {text} ({name})" if name else f"Step {text}"
