from django.db import migrations

from core.migration_operations import ContainsFilterStatistics


class Migration(migrations.Migration):
    dependencies = [("marketing", "0002_initial")]

    operations = [
        ContainsFilterStatistics(
            model_name="saleschance", fields=["customer_name", "title", "contact"]
        ),
    ]
