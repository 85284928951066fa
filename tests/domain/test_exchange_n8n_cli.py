"""The n8n import reads the files n8n's CLI writes, not only the editor's download.

``n8n export:workflow`` writes a JSON list of workflows: one for ``--id``, every workflow for
``--all``; only ``--separate`` writes each workflow as an object in a file of its own, as the
editor's download does (packages/cli/src/commands/export/workflow.ts in
github.com/n8n-io/n8n; seen in the files n8n 1.123.81 writes in tests/n8n).
"""

import pytest

from workflows.maps.exchange import MapImportError, map_from_n8n


def workflow(name, workflow_id):
    return {
        "id": workflow_id,
        "name": name,
        "nodes": [
            {
                "id": "a",
                "name": "Form",
                "type": "n8n-nodes-base.webhook",
                "typeVersion": 2,
                "position": [0, 0],
                "parameters": {},
            },
            {
                "id": "b",
                "name": "Find contact",
                "type": "n8n-nodes-base.hubspot",
                "typeVersion": 2.1,
                "position": [220, 0],
                "parameters": {},
            },
        ],
        "connections": {"Form": {"main": [[{"node": "Find contact", "type": "main", "index": 0}]]}},
        "settings": {"executionOrder": "v1"},
    }


def test_a_file_of_one_workflow_imports_as_that_workflow():
    one = workflow("Lead routing", "LeadRouting00001")
    assert map_from_n8n([one]) == map_from_n8n(one)
    assert [s.name for s in map_from_n8n([one]).map.steps] == ["Find contact"]


def test_a_file_of_several_workflows_is_refused_naming_them_and_the_way_out():
    several = [workflow("Lead routing", "A1"), workflow("Failure alerts", "A2")]
    with pytest.raises(MapImportError) as refused:
        map_from_n8n(several)
    assert refused.value.problems == [
        "This file holds 2 n8n workflows: Lead routing, Failure alerts (n8n export:workflow "
        "--all writes them together). A map is one workflow: export it alone with "
        "--id=<workflow id>, or every one to its own file with --all --separate."
    ]


def test_unnamed_workflows_are_counted_by_their_ids():
    first, second = workflow("", "A1"), workflow("", "A2")
    with pytest.raises(MapImportError, match=r"holds 2 n8n workflows: A1, A2 \("):
        map_from_n8n([first, second])


@pytest.mark.parametrize(
    "data",
    [[], [1], ["x", {"nodes": [], "connections": {}}], [{"name": "no nodes"}]],
    ids=["empty", "a number", "not all workflows", "no nodes"],
)
def test_a_list_that_is_not_workflows_is_still_refused_as_not_an_export(data):
    with pytest.raises(MapImportError) as refused:
        map_from_n8n(data)
    assert refused.value.problems == ["An n8n workflow export is a JSON object; this is a list."]
