"""Load the demo data: synthetic self-score responses and the demo organizations.

Idempotent: tops the demo sample up to ``--responses`` and leaves existing demo
organizations as they are. Demo responses are never counted as peers; a fresh install
compares results with them, labelled as demo, until 30 real responses exist.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from benchmark.demo import synthetic_teams
from benchmark.models import Response
from benchmark.selectors import definition_get_current
from benchmark.services import responses_bulk_create
from demo.organizations import DEMO_PASSWORD, demo_organizations_load


class Command(BaseCommand):
    help = "Load the demo dataset (flagged as demo, never counted as peers)."

    def add_arguments(self, parser):
        parser.add_argument("--responses", type=int, default=240)

    def handle(self, *args, **options) -> None:
        target = options["responses"]
        now = timezone.now()
        # The anonymous sample; the demo firm's leads (demo.leads) are not part of it.
        existing = Response.objects.filter(
            is_demo=True, organization__isnull=True, lead__isnull=True
        ).count()
        if existing >= target:
            self.stdout.write(f"Demo sample already loaded ({existing} demo responses).")
        else:
            definition = definition_get_current()
            teams = list(synthetic_teams(definition, target, seed=2026))[existing:]
            items = [
                (profile, answers, now - timedelta(days=(i * 7919) % 180))
                for i, (profile, answers) in enumerate(teams, start=existing)
            ]
            stored = responses_bulk_create(items=items, is_demo=True)
            self.stdout.write(
                self.style.SUCCESS(f"Loaded {stored} demo responses ({target} in all).")
            )
        accounts = demo_organizations_load(now=now)
        self.stdout.write(
            f"\nDemo sign-in (password for each: {DEMO_PASSWORD}) at /accounts/login/"
        )
        for account in accounts:
            self.stdout.write(f"  {account.email:28} {account.role:13} {account.organization}")
