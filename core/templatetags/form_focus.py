"""Where the focus goes when a posted form comes back with errors."""

from django import forms, template

register = template.Library()


@register.filter
def first_error_id(form: forms.BaseForm) -> str:
    """The DOM id of the first field (in form order) with an error, or ""."""
    for field in form:
        if field.errors:
            return field.id_for_label or ""
    return ""
