"""The result page reads the typed stored result: an attribute it reads that does not
exist fails the render instead of showing blank."""

import pytest
from django.template import Context, Template

from tests.factories import response_create
from tests.strict_templates import MissingVariable, strict_templates  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("strict_templates")]


def test_the_result_page_reads_only_attributes_that_exist(client):
    response = response_create(level=2)

    page = client.get(f"/results/{response.public_id}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "66.7" in html and "points lost" in html


def test_a_renamed_attribute_of_the_stored_result_fails_loudly():
    response = response_create(level=2)

    with pytest.raises(MissingVariable, match=r"result\.widest_gap_points\b"):
        Template("{{ result.widest_gap_points }}").render(Context({"result": response.scored}))
