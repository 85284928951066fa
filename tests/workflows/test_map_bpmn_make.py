"""The map page's BPMN export, "View as BPMN" page, and BPMN and Make imports, as a user
meets them: download, view, upload, the report, and refusals that change nothing."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from tests.domain.test_exchange_bpmn import FOREIGN, LAUGHS, XXE
from tests.workflows.test_map_editor import a_future_map, add_step, base, map_state, upload
from workflows.models import Step, WorkflowMap

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "domain" / "fixtures"
BPMN_NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}


def upload_bpmn(client, workflow, content, kind="current", follow=True):
    file = SimpleUploadedFile("map.bpmn", content, content_type="application/xml")
    data = {"format": "bpmn", "file": file, "replace": "on"}
    return client.post(base(workflow, kind) + "import/", data, follow=follow)


def test_the_map_downloads_as_bpmn_with_its_steps_and_lanes(client, workflow):
    add_step(client, workflow, name="Look up the 🦷 lead", team="Sales", actor="human")
    add_step(client, workflow, name="Draft reply", team="Marketing", actor="ai")
    reply = client.get(base(workflow) + "export.bpmn")
    assert reply["Content-Type"] == "application/xml; charset=utf-8"
    assert reply["Content-Disposition"] == (
        f'attachment; filename="workflow-{workflow.pk}-current.bpmn"'
    )
    root = etree.fromstring(reply.content)
    assert root.xpath("//bpmn:userTask/@name", namespaces=BPMN_NS) == ["Look up the 🦷 lead"]
    assert root.xpath("//bpmn:serviceTask/@name", namespaces=BPMN_NS) == ["Draft reply"]
    assert root.xpath("//bpmn:lane/@name", namespaces=BPMN_NS) == ["Sales", "Marketing"]


def test_the_map_page_offers_the_bpmn_download_and_view(client, workflow):
    page = client.get(base(workflow)).content.decode()
    assert f'href="{base(workflow)}export.bpmn" download>Download as BPMN 2.0</a>' in page
    assert f'href="{base(workflow)}bpmn/">View as BPMN</a>' in page
    assert '<option value="bpmn">A BPMN 2.0 process (.bpmn XML)</option>' in page
    assert '<option value="make">A Make scenario blueprint</option>' in page


def test_the_bpmn_page_loads_the_vendored_viewer_and_lists_the_steps(client, workflow):
    add_step(client, workflow, name="Look up", team="Sales", failure_route="queue")
    page = client.get(base(workflow) + "bpmn/").content.decode()
    assert "/static/vendor/bpmn-js/bpmn-viewer.production.min.js" in page
    assert "//" not in page.split("bpmn-viewer.production.min.js")[0].rsplit('src="', 1)[1]
    assert f'data-src="{base(workflow)}export.bpmn?inline=1"' in page
    assert "<td>1. Look up</td><td>Sales</td><td>user task</td><td>queue</td>" in page
    inline = client.get(base(workflow) + "export.bpmn?inline=1")
    assert "Content-Disposition" not in inline


def test_an_exported_map_uploads_back_into_the_other_map(client, workflow):
    add_step(client, workflow, name="Look up", team="Sales", inputs="email", outputs="id")
    add_step(client, workflow, name="Send", team="Marketing", actor="rule", inputs="id")
    exported = client.get(base(workflow) + "export.bpmn").content
    page = upload_bpmn(client, workflow, exported, kind="future").content.decode()
    assert "Imported 2 steps" in page
    future = WorkflowMap.objects.get(kind="future")
    assert list(future.steps.values_list("name", "team", "actor", "inputs")) == [
        ("Look up", "Sales", "human", ["email"]),
        ("Send", "Marketing", "rule", ["id"]),
    ]


def test_a_foreign_bpmn_import_lists_what_was_approximated_and_dropped(client, workflow):
    page = upload_bpmn(client, workflow, FOREIGN).content.decode()
    assert "Imported 4 steps, the trigger" in page
    assert "Approximated: &#x27;Qualify lead&#x27; is an untyped task" in page
    assert "Dropped: 1 gateway (the map is a sequence of steps)." in page
    current = WorkflowMap.objects.get(kind="current")
    assert current.trigger == "Form submitted"


@pytest.mark.parametrize("content", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_a_hostile_bpmn_file_is_refused_and_changes_nothing(client, workflow, content):
    future = a_future_map(client, workflow)
    before = map_state(future)
    reply = upload_bpmn(client, workflow, content, kind="future", follow=False)
    assert reply.status_code == 422
    assert "The file declares a DTD or entities" in reply.content.decode()
    assert map_state(future) == before


def test_a_make_blueprint_imports_into_the_future_state(client, workflow):
    content = (FIXTURES / "make_lead_scoring.json").read_bytes()
    page = upload(client, workflow, content, "make").content.decode()
    assert "Imported 5 steps, the trigger" in page
    assert "Approximated: router &#x27;By priority&#x27; splits into 2 routes" in page
    steps = Step.objects.filter(map__kind="future").order_by("position")
    assert [(s.name, s.tool, s.failure_route) for s in steps][:2] == [
        ("Make Tools: SetVariable2", "Make Tools", "dead_letter"),
        ("Classify lead", "OpenAI", "retry"),
    ]


def test_a_make_blueprint_is_refused_for_the_current_state(client, workflow):
    content = (FIXTURES / "make_lead_scoring.json").read_bytes()
    reply = upload(client, workflow, content, "make", kind="current", follow=False)
    assert reply.status_code == 422
    assert "A Make scenario is an orchestrated chain" in reply.content.decode()


@pytest.mark.parametrize(
    ("fixture", "fmt", "looks_like"),
    [
        ("n8n_inbound_lead.json", "make", "It looks like an n8n workflow export."),
        ("make_lead_scoring.json", "n8n", "It looks like a Make scenario blueprint."),
        ("make_lead_scoring.json", "json", "It looks like a Make scenario blueprint."),
        ("make_lead_scoring.json", "bpmn", "This is not a BPMN file: it looks like JSON."),
    ],
)
def test_a_file_given_to_the_wrong_import_is_named(client, workflow, fixture, fmt, looks_like):
    add_step(client, workflow, "future", name="Keep me")
    content = (FIXTURES / fixture).read_bytes()
    reply = upload(client, workflow, content, fmt, follow=False)
    assert reply.status_code == 422
    assert looks_like in reply.content.decode()
    assert list(Step.objects.values_list("name", flat=True)) == ["Keep me"]
