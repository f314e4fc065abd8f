import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """The interaction's date became a date and time: its history rows follow (the old history
    rows' time is the moment of this migration; their date stays in the record's own row)."""

    dependencies = [("sales", "0011_merge_20261202_2320")]

    operations = [
        migrations.AddField(
            model_name="historicalactivity",
            name="occurred_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="date and time"
            ),
            preserve_default=False,
        ),
    ]
