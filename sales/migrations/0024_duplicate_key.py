"""The count of live holders of each duplicate key. Its triggers on `cst_customer` are created,
and the counts filled, after `migrate` (`sales.duplicate_keys.install_after_migrate`)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0023_redundant_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="DuplicateKey",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "kind", "key", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("kind", models.CharField(max_length=8, verbose_name="kind")),
                ("key", models.TextField(verbose_name="key")),
                ("holders", models.IntegerField(verbose_name="holders")),
            ],
            options={
                "verbose_name": "duplicate key",
                "verbose_name_plural": "duplicate keys",
                "db_table": "cst_duplicate_key",
                "indexes": [
                    models.Index(
                        condition=models.Q(("holders__gt", 1)),
                        fields=["kind", "key"],
                        name="duplicate_key_repeated",
                    )
                ],
            },
        ),
    ]
