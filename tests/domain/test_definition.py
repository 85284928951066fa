"""The versioned definition is validated when loaded, naming what is wrong."""

import copy

import pytest

from benchmark.definition import DefinitionError, parse_definition, read_definition_file


def broken(raw, change):
    data = copy.deepcopy(raw)
    change(data)
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    return caught.value


def dim(data, dim_id):
    return next(d for d in data["dimensions"] if d["id"] == dim_id)


def test_the_shipped_definition_is_valid(definition):
    assert definition.version == "2026.1"
    assert len(definition.dimensions) == 10
    assert len(definition.questions) == 15
    assert sum(d.weight for d in definition.dimensions) == 100
    assert definition.dimension("orchestration").weight == 15
    assert [len(definition.questions_of(d.id)) for d in definition.dimensions] == [
        2,
        3,
        2,
        1,
        1,
        2,
        1,
        1,
        1,
        1,
    ]
    assert sum(q.kind == "tool_count" for q in definition.questions) == 1


def test_it_rejects_weights_that_do_not_sum_to_100(raw_definition):
    error = broken(raw_definition, lambda d: dim(d, "budget").update(weight=7))
    assert "weights sum to 99, not 100" in str(error)


def test_it_rejects_orchestration_without_the_highest_weight(raw_definition):
    def change(d):
        dim(d, "orchestration")["weight"] = 10
        dim(d, "attribution")["weight"] = 15

    error = broken(raw_definition, change)
    assert "orchestration weighs 10, not 15" in str(error)
    assert "'attribution'" in str(error)


def test_it_rejects_a_missing_question(raw_definition):
    def change(d):
        d["questions"] = [q for q in d["questions"] if q["id"] != "budget_tied"]

    error = broken(raw_definition, change)
    assert "there are 14 questions, not 15" in error.problems
    assert "dimension 'budget' has no question" in error.problems


def test_it_rejects_a_band_with_too_few_moves(raw_definition):
    def change(d):
        vendors = dim(d, "vendors")
        vendors["moves"] = [m for m in vendors["moves"] if m["band"] != "scaling"][:-1] + [
            m for m in vendors["moves"] if m["band"] == "scaling"
        ][:2]

    error = broken(raw_definition, change)
    assert "dimension 'vendors' has 2 moves in band 'scaling', needs at least 3" in error.problems


def test_it_rejects_a_question_without_four_levels(raw_definition):
    def change(d):
        d["questions"][3]["options"].pop()

    error = broken(raw_definition, change)
    assert any("must have exactly the answer levels 0, 1, 2 and 3" in p for p in error.problems)


def test_it_rejects_gaps_between_bands(raw_definition):
    error = broken(raw_definition, lambda d: d["bands"][1].update(min="1/2"))
    assert "band 'building' does not start where 'starting' ends" in error.problems


def test_it_rejects_an_unknown_definition_file():
    with pytest.raises(DefinitionError, match=r"no definition file for version '1999\.9'"):
        read_definition_file("1999.9")


def test_it_refuses_a_path_as_a_version():
    with pytest.raises(DefinitionError, match="is not a definition version"):
        read_definition_file("../../etc/passwd")
