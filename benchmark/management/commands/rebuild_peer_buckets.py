"""Recount the peer histograms from the stored responses."""

from django.core.management.base import BaseCommand

from benchmark.services import peer_buckets_rebuild


class Command(BaseCommand):
    help = "Recount the peer score histograms from every stored response."

    def handle(self, *args, **options) -> None:
        total = peer_buckets_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Recounted {total} responses."))
