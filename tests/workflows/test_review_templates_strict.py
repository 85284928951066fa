"""The review page and the board report read the typed snapshot: an attribute a template
reads that does not exist fails the render instead of showing blank."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone

from core.models import Membership
from reports.assembly import board_report_context
from tests.strict_templates import MissingVariable, strict_templates  # noqa: F401 - fixture
from workflows.models import CandidateWorkflow, Review
from workflows.reviews.stored import snapshot_read

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("strict_templates")]

VERSION_1 = Path(__file__).parents[1] / "domain" / "fixtures" / "review_snapshot_v1_day90.json"


@pytest.fixture
def demo(client):
    call_command("load_demo", responses=5, stdout=io.StringIO())
    vp = Membership.objects.get(user__email="vp@demo.example")
    client.force_login(vp.user)
    return CandidateWorkflow.objects.get(name="Inbound demo-request follow-up")


def review_page(client, workflow, stage):
    response = client.get(
        f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/reviews/{stage}/"
    )
    assert response.status_code == 200
    return response.content.decode()


def board_report(organization):
    data = board_report_context(organization=organization, as_of=timezone.localdate())
    return render_to_string(
        "pdf/board_report.html",
        {
            "org": organization,
            "as_of": data.as_of,
            "sections": data.sections,
            "charts": {name: f"chart:{name}" for name in data.figures},
            "swimlanes": [],
            "data_dates": data.data_dates,
            "next_steps": data.next_steps,
        },
    )


def test_a_template_reading_a_renamed_attribute_fails_loudly():
    snapshot = snapshot_read(json.loads(VERSION_1.read_text()))
    template = Template("{{ snapshot.throughput.ratio.estimat }}")

    with pytest.raises(MissingVariable, match=r"snapshot\.throughput\.ratio\.estimat\b"):
        template.render(Context({"snapshot": snapshot}))
    assert Template("{{ snapshot.throughput.ratio.estimate }}").render(
        Context({"snapshot": snapshot})
    ) == str(snapshot.throughput.ratio.estimate)


@pytest.mark.parametrize("stage", [30, 60, 90])
def test_every_review_page_reads_only_attributes_that_exist(client, demo, stage):
    html = review_page(client, demo, stage)

    assert "Would it have happened anyway? Effects by design" in html
    assert "Difference-in-differences against Webinar follow-up emails" in html
    if stage == 90:
        assert "The risk haircut (Forrester TEI)" in html
        assert "Cost per AI touch, review by review" in html


def test_a_version_1_review_page_reads_only_attributes_that_exist(client, demo):
    Review.objects.filter(workflow=demo, stage=90).update(frozen=json.loads(VERSION_1.read_text()))

    html = review_page(client, demo, 90)

    assert "$71,034" in html  # the version-1 row's AI-attributable pipeline
    assert "Difference-in-differences against Webinar follow-up emails" in html


def test_the_plan_page_reads_the_typed_baseline_and_only_attributes_that_exist(client, demo):
    response = client.get(f"/orgs/northwind-demo/workflows/{demo.pk}/plan/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Baseline before go-live" in html and "8 weeks" in html and "Frozen" in html


def test_the_board_report_reads_only_attributes_that_exist(demo):
    html = board_report(demo.organization)

    assert "Effects, by design" in html and "Methods appendix" in html
    assert "Runs a week, orchestrated vs baseline" in html
    assert "Pipeline created / won / lost" in html


def test_the_board_report_of_a_version_1_review_reads_only_attributes_that_exist(
    demo,
):
    Review.objects.filter(workflow=demo, stage=90).update(frozen=json.loads(VERSION_1.read_text()))

    html = board_report(demo.organization)

    assert "$71,034" in html
    assert "Card &amp; Krueger" in html or "Card & Krueger" in html
