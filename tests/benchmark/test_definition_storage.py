"""A stored result keeps the definition it was scored with."""

import json
import shutil

import pytest

from benchmark.definition import DEFINITIONS_DIR
from benchmark.models import Definition as DefinitionRow
from benchmark.services import DefinitionChangedError, definition_row_get_or_create
from tests.factories import response_create

pytestmark = pytest.mark.django_db


def test_every_response_records_its_version_answers_and_result():
    response = response_create(level=2)
    assert response.definition.version == "2026.2"
    assert response.answers["reporting_weekly"] == 2
    assert response.answers["stack_count"] == {"paid": 5, "daily": 5}
    assert response.result["overall"] == 66.7
    assert response.result["tier"] == "on_pace"


def test_a_later_definition_does_not_change_a_stored_result(client, settings, tmp_path):
    response = response_create(level=2)
    before = client.get(f"/results/{response.public_id}/").content.decode()

    shutil.copy(DEFINITIONS_DIR / "2026.2.json", tmp_path)
    data = json.loads((DEFINITIONS_DIR / "2026.2.json").read_text())
    data["version"] = "2027.1"
    for dimension in data["dimensions"]:
        dimension["label"] = "Renamed " + dimension["label"]
    data["tiers"][2]["min_score"] = 70
    (tmp_path / "2027.1.json").write_text(json.dumps(data))
    settings.BENCHMARK_DEFINITIONS_DIR = tmp_path
    settings.BENCHMARK_DEFINITION = "2027.1"

    newer = response_create(level=2)
    assert newer.definition.version == "2027.1"
    assert newer.tier == "catching_up"  # 66.7 is below the new On Pace threshold of 70
    response.refresh_from_db()
    assert response.tier == "on_pace"
    after = client.get(f"/results/{response.public_id}/").content.decode()
    assert "Renamed" not in after
    assert "<h1>On Pace</h1>" in before and "<h1>On Pace</h1>" in after


def test_editing_a_used_version_in_place_is_refused():
    response_create()
    DefinitionRow.objects.update(checksum="0" * 64)
    with pytest.raises(DefinitionChangedError, match="give the new text a new version"):
        definition_row_get_or_create(version="2026.2")
