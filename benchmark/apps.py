from django.apps import AppConfig


class BenchmarkConfig(AppConfig):
    name = "benchmark"
    verbose_name = "Maturity benchmark"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The result page cache's receivers: a write that changes what a page shows
        # draws it again (benchmark.result_cache).
        from . import result_cache  # noqa: F401
