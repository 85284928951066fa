"""Templates that fail on a variable that does not exist, instead of rendering it blank.

Use the ``strict_templates`` fixture (import it into the test module): Django formats
``string_if_invalid`` with the variable it could not resolve, and ``LoudInvalid`` raises
there. ``{% if %}`` and ``{% for %}`` still treat a missing variable as false or empty, so
a test using it also asserts the text of the sections it expects.
"""

import copy

import pytest


class MissingVariable(AssertionError):
    """A template read a variable, attribute or key that does not exist."""


class LoudInvalid(str):
    """``string_if_invalid`` that raises ``MissingVariable`` naming the variable."""

    __slots__ = ()

    def __mod__(self, variable):
        raise MissingVariable(f"a template read {variable}, which does not exist")


@pytest.fixture
def strict_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = LoudInvalid("%s")
    settings.TEMPLATES = templates
