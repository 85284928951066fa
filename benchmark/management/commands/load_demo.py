"""Load the demo dataset: synthetic self-score responses flagged as demo.

Idempotent: tops the demo sample up to ``--responses`` and does nothing when it is there.
Demo responses are never counted as peers; a fresh install compares results with them,
labelled as demo, until 30 real responses exist.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from benchmark.demo import synthetic_teams
from benchmark.models import Response
from benchmark.selectors import definition_get_current
from benchmark.services import responses_bulk_create


class Command(BaseCommand):
    help = "Load the demo dataset (flagged as demo, never counted as peers)."

    def add_arguments(self, parser):
        parser.add_argument("--responses", type=int, default=240)

    def handle(self, *args, **options) -> None:
        target = options["responses"]
        existing = Response.objects.filter(is_demo=True).count()
        if existing >= target:
            self.stdout.write(f"Demo data already loaded ({existing} demo responses).")
            return
        definition = definition_get_current()
        now = timezone.now()
        teams = list(synthetic_teams(definition, target, seed=2026))[existing:]
        items = [
            (profile, answers, now - timedelta(days=(i * 7919) % 180))
            for i, (profile, answers) in enumerate(teams, start=existing)
        ]
        stored = responses_bulk_create(items=items, is_demo=True)
        self.stdout.write(self.style.SUCCESS(f"Loaded {stored} demo responses ({target} in all)."))
