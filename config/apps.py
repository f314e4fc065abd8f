from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The composition root. Last in INSTALLED_APPS: once every model is loaded, it imports every
    app's `tasks.py`, so any process (web, worker, beat, shell) knows every task by name."""

    name = "config"
    verbose_name = "Configuration"

    def ready(self) -> None:
        from config.celery import app

        app.autodiscover_tasks(force=True)
