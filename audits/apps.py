from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Revenue Audits"
    default_auto_field = "django.db.models.BigAutoField"
