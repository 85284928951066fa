from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Board reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.quota import kept_files_register

        from .models import BoardReport

        kept_files_register(model=BoardReport, label="board report PDFs")
