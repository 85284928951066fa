"""webhook_event_emit: a per-firm sequence without gaps, also under concurrent emits."""

import threading

import pytest
from django.db import connection, connections, transaction

from core.models import Organization
from tests.factories import OrganizationFactory
from webhooks.models import Delivery, Endpoint, Event
from webhooks.services import firm_of, webhook_event_emit


@pytest.mark.django_db
def test_each_firm_counts_its_own_events_from_one(firm):
    other = OrganizationFactory(kind=Organization.Kind.FIRM)
    numbers = [
        webhook_event_emit(firm=f, event_type="lead.created", data={}).sequence
        for f in (firm, firm, other, firm)
    ]
    assert numbers == [1, 2, 1, 3]


@pytest.mark.django_db
def test_a_rolled_back_emit_gives_its_number_back(firm):
    webhook_event_emit(firm=firm, event_type="lead.created", data={})
    with pytest.raises(RuntimeError), transaction.atomic():
        webhook_event_emit(firm=firm, event_type="lead.created", data={})
        raise RuntimeError("the change it reported failed")
    assert webhook_event_emit(firm=firm, event_type="lead.created", data={}).sequence == 2
    assert list(Event.objects.values_list("sequence", flat=True).order_by("sequence")) == [1, 2]


@pytest.mark.django_db
def test_it_refuses_a_client_and_an_unknown_type(firm):
    with pytest.raises(ValueError, match="not a consulting firm"):
        webhook_event_emit(firm=OrganizationFactory(), event_type="lead.created", data={})
    with pytest.raises(ValueError, match="unknown"):
        webhook_event_emit(firm=firm, event_type="lead.deleted", data={})
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_nothing_is_sent_before_commit(firm, django_capture_on_commit_callbacks):
    Endpoint.objects.create(
        organization=firm, url="https://crm.example/h", event_types=["lead.created"], secret="x"
    )
    with django_capture_on_commit_callbacks() as queued:
        event = webhook_event_emit(firm=firm, event_type="lead.created", data={})
    assert len(queued) == 1, "one delivery, queued for after commit"
    assert Delivery.objects.get(event=event).status == Delivery.Status.PENDING


@pytest.mark.django_db
def test_a_clients_firm_is_its_own_or_the_default(firm, settings):
    assert firm_of(organization=firm) == firm
    assert firm_of(organization=OrganizationFactory(firm=firm)) == firm
    default = firm_of(organization=OrganizationFactory())
    assert default.slug == settings.DEFAULT_FIRM_SLUG and default.is_firm


@pytest.mark.django_db(transaction=True)
def test_concurrent_emits_take_every_number_once(firm):
    """Eight threads, each its own connection and transaction, emit at the same moment (a
    barrier), twice each: the firm's events are numbered 1..16 with no gap and no repeat."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes every write; the race needs PostgreSQL")
    threads, errors, barrier = [], [], threading.Barrier(8)

    def emit():
        try:
            barrier.wait(timeout=30)
            for _ in range(2):
                with transaction.atomic():
                    webhook_event_emit(firm=firm, event_type="response.completed", data={})
        except Exception as error:  # reported below, with the thread's error
            errors.append(error)
        finally:
            connections.close_all()

    for _ in range(8):
        threads.append(threading.Thread(target=emit))
        threads[-1].start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(Event.objects.filter(organization=firm).values_list("sequence", flat=True))
    assert numbers == list(range(1, 17))
