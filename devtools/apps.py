from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Developer commands: demo data, volume data and the benchmark."""

    name = "devtools"
    verbose_name = "Developer tools"
