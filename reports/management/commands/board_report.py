"""Render an organization's board report from the shell: board_report <slug> --out report.pdf"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.models import Organization
from core.pdf import render_pdf
from reports.rendering import board_report_html


class Command(BaseCommand):
    help = "Render the board report of an organization to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("organization", help="the organization's slug")
        parser.add_argument("--out", default="board-report.pdf")

    def handle(self, *args, **options) -> None:
        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            raise CommandError(f"No organization with slug {options['organization']!r}")
        html, _ = board_report_html(organization=organization, as_of=timezone.localdate())
        Path(options["out"]).write_bytes(render_pdf(html))
        self.stdout.write(self.style.SUCCESS(f"Wrote {options['out']}"))
