"""The pure parts of webhooks: URL rules, backoff, and the signed message."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks import Webhook

from webhooks.backoff import retry_delay, should_retry
from webhooks.signing import build_body, generate_secret, sign_headers
from webhooks.targets import (
    TargetRefusedError,
    address_is_public,
    choose_address,
    parse_target,
    resolve_target,
)

NONE: tuple[str, ...] = ()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://crm.example.com/x", "Only https"),
        ("javascript:alert(1)", "Only https"),
        ("http://crm.example.com/x", "Use an https URL"),
        ("https://user@crm.example.com/", "no user name"),
        ("https:///nohost", "no host"),
        ("https://crm.example.com:99999/", "not a valid URL"),
        ("https://crm.example.com/" + "a" * 2000, "too long"),
    ],
)
def test_parse_target_refuses(url, message):
    with pytest.raises(TargetRefusedError, match=message):
        parse_target(url, allowed_hosts=NONE)


def test_parse_target_splits_an_https_url():
    target = parse_target("https://CRM.example.com/hooks?x=1#frag", allowed_hosts=NONE)
    assert (target.scheme, target.host, target.port, target.path) == (
        "https",
        "crm.example.com",
        443,
        "/hooks?x=1",
    )
    assert target.host_header == "crm.example.com"
    assert parse_target("https://[2001:db8::1]:8443", allowed_hosts=NONE).host_header == (
        "[2001:db8::1]:8443"
    )


def test_an_allowlisted_host_may_use_http():
    target = parse_target("http://127.0.0.1:8080/h", allowed_hosts=["127.0.0.1"])
    assert (target.scheme, target.port, target.host_header) == ("http", 8080, "127.0.0.1:8080")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("127.0.0.1", False),
        ("0.0.0.0", False),  # noqa: S104  (an address judged, not bound)
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # shared address space (carrier-grade NAT)
        ("224.0.0.1", False),
        ("239.255.255.250", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("::ffff:10.0.0.1", False),
    ],
)
def test_address_is_public(address, public):
    assert address_is_public(address) is public


def test_one_internal_address_among_public_ones_refuses_the_host():
    target = parse_target("https://crm.example.com/", allowed_hosts=NONE)
    assert choose_address(target, ["93.184.216.34"], allowed_hosts=NONE) == "93.184.216.34"
    with pytest.raises(TargetRefusedError, match="private or internal"):
        choose_address(target, ["93.184.216.34", "10.0.0.1"], allowed_hosts=NONE)
    with pytest.raises(TargetRefusedError, match="does not resolve"):
        choose_address(target, [], allowed_hosts=NONE)


def test_the_allowlist_admits_a_host_or_an_address():
    target = parse_target("https://crm.internal/", allowed_hosts=NONE)
    assert choose_address(target, ["10.0.0.7"], allowed_hosts=["crm.internal"]) == "10.0.0.7"
    assert choose_address(target, ["10.0.0.7"], allowed_hosts=["10.0.0.7"]) == "10.0.0.7"


def test_resolve_target_uses_what_the_resolver_answers_now():
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    first = resolve_target(
        "https://crm.example.com/", allowed_hosts=NONE, resolve=lambda h, p: next(answers)
    )
    assert first.address == "93.184.216.34"
    with pytest.raises(TargetRefusedError):  # the same name, rebound inside
        resolve_target(
            "https://crm.example.com/", allowed_hosts=NONE, resolve=lambda h, p: next(answers)
        )


@pytest.mark.parametrize(
    ("attempt", "rand", "expected"),
    [(1, 0.0, 15.0), (1, 0.999999, 29.99997), (2, 0.5, 45.0), (3, 0.0, 60.0), (10, 0.0, 900.0)],
)
def test_retry_delay_by_hand(attempt, rand, expected):
    got = retry_delay(attempt=attempt, base_seconds=30, max_seconds=1800, rand=rand)
    assert got == pytest.approx(expected, abs=1e-3)


@given(
    attempt=st.integers(min_value=1, max_value=10_000),
    base=st.floats(min_value=0, max_value=600),
    cap=st.floats(min_value=0, max_value=7200),
    rand=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_retry_delay_stays_within_half_a_step_and_the_step(attempt, base, cap, rand):
    cap = max(cap, base)
    step = min(cap, base * 2.0 ** min(attempt - 1, 64))
    delay = retry_delay(attempt=attempt, base_seconds=base, max_seconds=cap, rand=rand)
    assert step / 2 - 1e-9 <= delay <= step + 1e-9
    assert delay <= cap + 1e-9


@given(attempt=st.integers(min_value=1, max_value=50), rand=st.floats(0, 1, exclude_max=True))
def test_the_shortest_wait_never_falls_as_attempts_grow(attempt, rand):
    now = retry_delay(attempt=attempt, base_seconds=1, max_seconds=1e9, rand=0.0)
    later = retry_delay(attempt=attempt + 1, base_seconds=1, max_seconds=1e9, rand=0.0)
    assert later >= now


def test_retry_delay_refuses_nonsense():
    for kwargs in ({"attempt": 0}, {"rand": 1.0}, {"base_seconds": -1}):
        args = {"attempt": 1, "base_seconds": 1, "max_seconds": 2, "rand": 0.5} | kwargs
        with pytest.raises(ValueError):
            retry_delay(**args)


def test_attempts_are_bounded():
    assert [should_retry(attempt=n, max_attempts=3) for n in (1, 2, 3, 4)] == [
        True,
        True,
        False,
        False,
    ]


def test_a_signed_message_verifies_with_the_reference_library():
    secret = generate_secret()
    assert secret.startswith("whsec_") and len(secret) == 6 + 44
    occurred = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    body = build_body(
        event_type="lead.created", occurred_at=occurred, data={"b": 1, "a": [1]}, sequence=7
    )
    assert body == (
        '{"data":{"a":[1],"b":1},"sequence":7,"timestamp":"2026-11-02T09:30:00Z",'
        '"type":"lead.created"}'
    )
    now = datetime.now(UTC)
    headers = sign_headers(secret=secret, msg_id="msg_1", sent_at=now, body=body)
    assert headers["webhook-id"] == "msg_1"
    assert headers["webhook-timestamp"] == str(int(now.timestamp()))
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(body, headers) == json.loads(body)
    stale = sign_headers(
        secret=secret, msg_id="msg_1", sent_at=now - timedelta(minutes=10), body=body
    )
    with pytest.raises(Exception, match="too old"):
        Webhook(secret).verify(body, stale)


def test_build_body_refuses_nan():
    with pytest.raises(ValueError):
        build_body(
            event_type="x", occurred_at=datetime.now(UTC), data={"r": float("nan")}, sequence=1
        )


def test_during_a_rotation_both_secrets_sign_and_either_verifies():
    new, old = generate_secret(), generate_secret()
    body = build_body(event_type="x", occurred_at=datetime.now(UTC), data={}, sequence=1)
    headers = sign_headers(
        secret=new, msg_id="msg_2", sent_at=datetime.now(UTC), body=body, previous_secrets=[old]
    )
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (new, old):
        assert Webhook(secret).verify(body, headers)["sequence"] == 1
    with pytest.raises(Exception, match="signature"):
        Webhook(generate_secret()).verify(body, headers)
