"""``manage.py secrets_reencrypt``: every stored secret again under the first key of
SECRET_ENCRYPTION_KEYS (core.secrets), so an old key can then be dropped."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.secrets import SecretUnreadable, secret_reencrypt
from webhooks.models import Endpoint
from workflows.models import IngestEndpoint, N8nConnection

# Model -> its encrypted fields.
ENCRYPTED = {
    IngestEndpoint: ("secret_encrypted", "previous_secret_encrypted"),
    N8nConnection: ("api_key_encrypted",),
    Endpoint: ("secret_encrypted", "previous_secret_encrypted"),
}


class Command(BaseCommand):
    help = "Re-encrypt every stored secret under the first SECRET_ENCRYPTION_KEYS key."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        with transaction.atomic():
            for model, fields in ENCRYPTED.items():
                for row in model.objects.select_for_update().only("pk", *fields):  # type: ignore[attr-defined]
                    for field in fields:
                        token = getattr(row, field)
                        if not token:
                            continue
                        try:
                            setattr(row, field, secret_reencrypt(token))
                        except SecretUnreadable as exc:
                            raise CommandError(
                                f"{model.__name__} {row.pk}: {field} cannot be decrypted with "
                                "the configured keys; nothing was changed."
                            ) from exc
                        count += 1
                    row.save(update_fields=list(fields))
        self.stdout.write(f"Re-encrypted {count} secrets under the first key.")
