"""The demo firm's benchmark link: its colour, an embedding origin, and a few leads.

Flagged as demo like the rest (the responses are ``is_demo`` and never counted as peers).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from benchmark.demo import synthetic_teams
from benchmark.selectors import definition_get_current
from benchmark.services import response_submit
from core.models import Organization
from firms.models import FirmProfile, Lead
from firms.services import lead_create

DEMO_EMAILS = ["dana.ruiz@lumen.example", "", "p.shah@corvid.example", "", "", "kim@ostara.example"]


def demo_leads_load(*, firm: Organization, now: datetime) -> None:
    """Give the demo firm its link settings and six leads over the last two weeks."""
    profile, _ = FirmProfile.objects.get_or_create(firm=firm)
    profile.accent_color = "#7a1f5c"
    profile.embed_origins = ["http://localhost:8001"]
    profile.save()
    consent = profile.consent_for(firm.name)
    teams = synthetic_teams(definition_get_current(), len(DEMO_EMAILS), seed=15)
    for day, ((team_profile, answers), email) in enumerate(zip(teams, DEMO_EMAILS, strict=True)):
        at = now - timedelta(days=2 * day + 1, hours=3 * day)
        response = response_submit(
            profile=team_profile, answers=answers, completed_at=at, is_demo=True
        )
        lead = lead_create(
            firm=firm,
            response=response,
            nonce=secrets.token_hex(16),
            source=Lead.Source.EMBED if day % 2 else Lead.Source.LINK,
            email=email,
            consent_text=consent,
            at=at,
        )
        Lead.objects.filter(pk=lead.pk).update(created_at=at)
