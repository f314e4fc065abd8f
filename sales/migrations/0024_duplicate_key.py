"""The count of live holders of each duplicate key, with its triggers on `cst_customer`
(`sales.duplicate_keys`, whose current code this runs). `migrate` checks the triggers again at
its end (`install_after_migrate`): on SQLite a later migration that rebuilds the customers' table
drops them."""

from django.db import migrations, models


def install(apps, schema_editor):
    from sales import duplicate_keys

    duplicate_keys.install(schema_editor.connection)
    duplicate_keys.rebuild(schema_editor.connection)


def uninstall(apps, schema_editor):
    from sales import duplicate_keys

    duplicate_keys.uninstall(schema_editor.connection)


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
        migrations.RunPython(install, uninstall),
    ]
