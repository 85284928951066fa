from django.apps import AppConfig


class FirmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "firms"
    verbose_name = "Consulting firms: links, leads and embedding"
