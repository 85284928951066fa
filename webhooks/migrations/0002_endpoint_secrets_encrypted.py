"""Webhook signing secrets stored encrypted (core.secrets; SECURITY.md "Secrets at rest").

The plain columns are read, encrypted into the new ones under the first configured key, and
dropped; going back decrypts them into plain columns again.
"""

from django.db import migrations, models

from core.secrets import secret_decrypt, secret_encrypt


def encrypt(apps, schema_editor):
    Endpoint = apps.get_model("webhooks", "Endpoint")
    for endpoint in Endpoint.objects.all().only("pk", "secret", "previous_secret"):
        endpoint.secret_encrypted = secret_encrypt(endpoint.secret)
        endpoint.previous_secret_encrypted = (
            secret_encrypt(endpoint.previous_secret) if endpoint.previous_secret else ""
        )
        endpoint.save(update_fields=["secret_encrypted", "previous_secret_encrypted"])


def decrypt(apps, schema_editor):
    Endpoint = apps.get_model("webhooks", "Endpoint")
    for endpoint in Endpoint.objects.all().only(
        "pk", "secret_encrypted", "previous_secret_encrypted"
    ):
        endpoint.secret = secret_decrypt(endpoint.secret_encrypted)
        endpoint.previous_secret = (
            secret_decrypt(endpoint.previous_secret_encrypted)
            if endpoint.previous_secret_encrypted
            else ""
        )
        endpoint.save(update_fields=["secret", "previous_secret"])


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0001_endpoints_events_deliveries")]

    operations = [
        migrations.AddField(
            model_name="endpoint",
            name="secret_encrypted",
            field=models.TextField(default="", help_text="The signing secret, encrypted."),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="endpoint",
            name="previous_secret_encrypted",
            field=models.TextField(
                blank=True, help_text="The secret before the last rotation, encrypted."
            ),
        ),
        # Both columns exist in both directions while the rows are converted.
        migrations.AlterField(
            model_name="endpoint",
            name="secret",
            field=models.CharField(max_length=100, blank=True),
        ),
        migrations.RunPython(encrypt, decrypt),
        migrations.RemoveField(model_name="endpoint", name="secret"),
        migrations.RemoveField(model_name="endpoint", name="previous_secret"),
    ]
