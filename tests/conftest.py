"""Fixtures shared across the suite."""

import os
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

import tests.hypothesis_profiles  # noqa: F401  (registers and loads the profile first)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    """Rate-limit counts and the result page's caches (this process's memory in tests)
    start empty in every test, so one test's requests never count against another's."""
    from django.conf import settings

    if not settings.configured:  # tests/domain with the Django plugin off
        yield
        return
    from django.core.cache import caches

    for alias in ("default", "pages"):  # rate-limit counts, and the result page's caches
        caches[alias].clear()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()


@pytest.fixture
def real_worker():
    """A Celery worker thread consuming from the machine's Redis (tasks stop running eagerly).

    The broker comes from config.settings.test, known before any task is sent, since Celery
    keeps the connection pool it first made.
    """
    import redis
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    broker = app.conf.broker_url
    try:
        redis.Redis.from_url(broker).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {broker}")
        pytest.skip(f"Redis is not reachable at {broker}")
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def two_orgs(db):
    """An owner organization with one of everything, and an outsider with their own (the
    tenancy and CSRF sweeps)."""
    from audits.models import Audit, AuditTool
    from core.models import Membership, Organization
    from reports.models import BoardReport
    from tests.factories import MembershipFactory, response_create
    from webhooks.models import Delivery, Endpoint, Event
    from workflows.models import CandidateWorkflow, DataImport, Step, WorkflowMap
    from workflows.plans.services import plan_create

    owner = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    audit = Audit.objects.create(organization=owner.organization, created_by=owner.user)
    candidate = CandidateWorkflow.objects.create(
        organization=owner.organization, audit=audit, name="Lead routing"
    )
    owner_map = WorkflowMap.objects.create(
        organization=owner.organization, workflow=candidate, kind="current"
    )
    plan = plan_create(
        workflow=candidate, start_date=date(2026, 1, 5), timezone="UTC", owner=owner.user
    )
    data_import = DataImport.objects.create(
        organization=owner.organization,
        workflow=candidate,
        kind="runs",
        file=SimpleUploadedFile("runs.csv", b"run_id\n"),
        original_name="runs.csv",
        status=DataImport.Status.FAILED,  # retryable: a retry or mapping that got through shows
        failure=DataImport.Failure.ERROR,
    )
    # The owner also consults for a firm with a webhook endpoint and a failed delivery; the
    # outsider consults for a firm of their own.
    firm = Organization.objects.create(name="Owner Firm", slug="owner-firm", kind="firm")
    MembershipFactory(user=owner.user, organization=firm, role=Membership.Role.CONSULTANT)
    endpoint = Endpoint.objects.create(
        organization=firm,
        url="https://crm.example.com/hooks",
        event_types=["lead.created"],
        secret="whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEy",
    )
    event = Event.objects.create(
        organization=firm,
        msg_id="msg_owner",
        event_type="lead.created",
        sequence=1,
        occurred_at=date(2026, 1, 5).isoformat() + "T09:00Z",
    )
    delivery = Delivery.objects.create(
        organization=firm, event=event, endpoint=endpoint, status=Delivery.Status.FAILED
    )
    outsider = MembershipFactory(role=Membership.Role.CONSULTANT)
    outsider_firm = Organization.objects.create(
        name="Outsider Firm", slug="outsider-firm", kind="firm"
    )
    MembershipFactory(
        user=outsider.user, organization=outsider_firm, role=Membership.Role.CONSULTANT
    )
    outsider_audit = Audit.objects.create(organization=outsider.organization)
    outsider_candidate = CandidateWorkflow.objects.create(
        organization=outsider.organization, name="Theirs"
    )
    owned = {
        "audit": audit,
        "tool": AuditTool.objects.create(audit=audit, name="Jasper"),
        "candidate": candidate,
        "step": Step.objects.create(map=owner_map, position=1, name="Look up the lead"),
        "milestone": plan.milestones.first(),
        "data_import": data_import,
        "report": BoardReport.objects.create(organization=owner.organization, status="failed"),
        "response": response_create(membership=owner),
        "firm": firm,
        "endpoint": endpoint,
        "delivery": delivery,
    }
    return SimpleNamespace(
        owner=owner,
        owned=owned,  # the owner's objects by the name tests/test_tenancy.url() takes them
        **owned,
        outsider=outsider,
        outsider_firm=outsider_firm,
        outsider_audit=outsider_audit,
        outsider_candidate=outsider_candidate,
    )


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """``collectstatic`` under the production storage (hashed, compressed), once a session."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=settings.PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(collected_static, settings):
    """This test sees static files as production does: hashed names from the manifest in
    STATIC_ROOT, DEBUG off."""
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = settings.PRODUCTION_STORAGES
    settings.DEBUG = False
    return collected_static


@pytest.fixture
def inbox(settings, free_tcp_port):
    """A real SMTP server on 127.0.0.1 and a free port, and the app sending through it
    (tests/smtp_inbox.py)."""
    from tests.smtp_inbox import inbox_serving

    yield from inbox_serving(settings, free_tcp_port)
