"""The dependency audit: OSV range matching, and pip-audit run against a local snapshot."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.security import dependency_audit
from tests.security.dependency_audit import affects


def advisory(events=None, versions=None, name="Django", **extra):
    affected = {"package": {"ecosystem": "PyPI", "name": name}}
    if events is not None:
        affected["ranges"] = [{"type": "ECOSYSTEM", "events": events}]
    if versions is not None:
        affected["versions"] = versions
    return {"id": "TEST-1", "affected": [affected], **extra}


@pytest.mark.parametrize(
    ("events", "version", "expected"),
    [
        ([{"introduced": "0"}, {"fixed": "5.2.8"}], "5.2.7", True),
        ([{"introduced": "0"}, {"fixed": "5.2.8"}], "5.2.8", False),
        ([{"introduced": "5.0"}, {"fixed": "5.1.4"}, {"introduced": "5.2"}, {"fixed": "5.2.9"}],
         "5.1.9", False),
        ([{"introduced": "5.0"}, {"fixed": "5.1.4"}, {"introduced": "5.2"}, {"fixed": "5.2.9"}],
         "5.2.3", True),
        ([{"introduced": "1.0"}, {"last_affected": "1.4"}], "1.4", True),
        ([{"introduced": "1.0"}, {"last_affected": "1.4"}], "1.4.1", False),
        ([{"introduced": "2.0"}], "1.9", False),
    ],
)  # fmt: skip
def test_a_version_is_affected_only_inside_a_range(events, version, expected):
    assert affects(advisory(events), "django", version) is expected


def test_listed_versions_names_and_withdrawals():
    assert affects(advisory(versions=["1.2.3"]), "django", "1.2.3")
    assert not affects(advisory(versions=["1.2.3"]), "django", "1.2.4")
    assert affects(advisory(versions=["1.0"], name="Django_Axes"), "django-axes", "1.0")
    assert not affects(advisory(versions=["1.0"]), "flask", "1.0")
    assert not affects(advisory(versions=["1.0"], withdrawn="2026-01-01"), "django", "1.0")


@given(
    st.tuples(*[st.integers(0, 20)] * 3).map(sorted),
)
def test_introduced_and_fixed_bound_a_half_open_interval(bounds):
    introduced, version, fixed = (f"{n}.0" for n in bounds)
    events = [{"introduced": introduced}, {"fixed": fixed}]
    assert affects(advisory(events), "django", version) is (version != fixed)


@pytest.fixture
def snapshot(tmp_path):
    def write(events):
        (tmp_path / "TEST-1.json").write_text(
            json.dumps({**advisory(events), "summary": "made up for a test"})
        )
        return ["--advisories", str(tmp_path)]

    return write


def test_an_advisory_for_a_locked_version_fails_the_audit(snapshot, capsys):
    assert dependency_audit.main(snapshot([{"introduced": "0"}, {"fixed": "99.0"}])) == 1
    out = capsys.readouterr().out
    assert "django" in out.lower() and "TEST-1 (UNEXPLAINED)" in out


def test_an_accepted_advisory_with_a_reason_passes(snapshot, capsys, tmp_path, monkeypatch):
    ignore = tmp_path / "ignore.txt"
    ignore.write_text("TEST-1  only reachable through the admin's X, which we do not use\n")
    monkeypatch.setattr(dependency_audit, "IGNORE", ignore)
    assert dependency_audit.main(snapshot([{"introduced": "0"}, {"fixed": "99.0"}])) == 0
    assert "accepted: only reachable" in capsys.readouterr().out


def test_an_advisory_fixed_before_the_locked_version_passes(snapshot, capsys):
    assert dependency_audit.main(snapshot([{"introduced": "0"}, {"fixed": "1.0"}])) == 0
    assert "0 advisories found" in capsys.readouterr().out
