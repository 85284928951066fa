""" "I don't know" in the audit's assessment: prefilled from the self-score, offered by every
question, and kept by a reload and the sticky Save."""

import pytest
from bs4 import BeautifulSoup

from audits.models import Audit
from audits.services import audit_create
from benchmark.scoring import UNKNOWN
from tests.factories import response_create, uniform_answers
from tests.forms_sweep import form_entries

pytestmark = pytest.mark.django_db


def test_the_prefill_carries_i_dont_know_from_the_self_score(client_admin):
    answers = {**uniform_answers(2), "orchestration_chain": UNKNOWN}
    response_create(membership=client_admin, answers=answers)
    audit = audit_create(organization=client_admin.organization, created_by=client_admin.user)
    assert audit.assessment["orchestration_chain"] == UNKNOWN
    assert audit.assessment["orchestration_handoffs"] == 2


def test_every_assessment_question_offers_i_dont_know(client, client_admin, intake_url):
    client.force_login(client_admin.user)
    soup = BeautifulSoup(client.get(intake_url).content.decode(), "html.parser")
    groups = soup.select("#assessment fieldset")
    assert len(groups) == 10
    for group in groups:
        values = [r["value"] for r in group.find_all("input", attrs={"type": "radio"})]
        assert values == ["0", "1", "2", "3", UNKNOWN]


def test_an_unknown_survives_a_reload_and_the_sticky_save(client, client_admin, audit, intake_url):
    Audit.objects.filter(pk=audit.pk).update(
        assessment={"orchestration_chain": UNKNOWN, "data_flow": 1}
    )
    client.force_login(client_admin.user)
    soup = BeautifulSoup(client.get(intake_url).content.decode(), "html.parser")
    checked = soup.find("input", attrs={"name": "q_orchestration_chain", "checked": True})
    assert checked["value"] == UNKNOWN
    form = soup.find("form", id="intake-form")
    client.post(intake_url, dict(form_entries(form, soup)))  # the sticky Save
    audit.refresh_from_db()
    assert audit.assessment == {"orchestration_chain": UNKNOWN, "data_flow": 1}


def test_choosing_i_dont_know_autosaves(client, client_admin, audit, intake_url):
    from tests.audits.conftest import autosave

    client.force_login(client_admin.user)
    response = autosave(client, intake_url + "field/", "q_data_truth", UNKNOWN)
    assert response.status_code == 200
    audit.refresh_from_db()
    assert audit.assessment == {"data_truth": UNKNOWN}
