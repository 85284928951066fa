from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Workflows"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.quota import kept_files_register

        from .models import DataImport

        kept_files_register(model=DataImport, label="uploaded data files")
