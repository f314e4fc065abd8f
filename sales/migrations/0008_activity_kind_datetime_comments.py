"""Interactions get a kind, a date-time instead of a date, who logged them, and comments.

Every Activity field change of the interactions issue is in this one migration. Existing rows
keep their day: `occurred_at` is the start of that day in the site's time zone; `author` is the
customer's manager at migration time (who else could have logged it).
"""

import datetime
import zoneinfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Activity = apps.get_model("sales", "Activity")
    Customer = apps.get_model("sales", "Customer")
    alias = schema_editor.connection.alias
    activities = Activity.objects.using(alias)
    activities.update(
        author_id=Subquery(
            Customer.objects.using(alias)
            .filter(pk=OuterRef("customer_id"))
            .values("manager_id")[:1]
        )
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE cst_activity SET occurred_at = (date::timestamp AT TIME ZONE %s)",
            [settings.TIME_ZONE],
        )
        # Check the new foreign keys now: pending (deferred) checks would forbid the ALTER
        # TABLEs that follow in this transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    batch = []
    for activity in activities.only("pk", "date").iterator(chunk_size=2000):
        activity.occurred_at = datetime.datetime.combine(activity.date, datetime.time(), zone)
        batch.append(activity)
        if len(batch) >= 2000:
            Activity.objects.using(alias).bulk_update(batch, ["occurred_at"])
            batch = []
    Activity.objects.using(alias).bulk_update(batch, ["occurred_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0007_order_date_covering"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="kind",
            field=models.CharField(
                choices=[
                    ("call", "Call"),
                    ("visit", "Visit"),
                    ("email", "E-mail"),
                    ("meeting", "Meeting"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=10,
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="occurred_at",
            field=models.DateTimeField(null=True, verbose_name="date and time"),
        ),
        migrations.AddField(
            model_name="activity",
            name="author",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="activities",
                to=settings.AUTH_USER_MODEL,
                verbose_name="logged by",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RemoveIndex(model_name="activity", name="activity_customer_date"),
        migrations.RemoveField(model_name="activity", name="date"),
        migrations.AlterField(
            model_name="activity",
            name="occurred_at",
            field=models.DateTimeField(verbose_name="date and time"),
        ),
        migrations.AlterModelOptions(
            name="activity",
            options={
                "ordering": ["-occurred_at", "-id"],
                "verbose_name": "interaction",
                "verbose_name_plural": "interactions",
            },
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["customer", "-occurred_at"], name="activity_customer_at"),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["-occurred_at", "-id"], name="activity_at"),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["author", "-occurred_at"], name="activity_author_at"),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=models.Q(kind__in=["call", "visit", "email", "meeting", "other"]),
                name="activity_kind_valid",
            ),
        ),
        migrations.CreateModel(
            name="ActivityComment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("text", models.TextField(max_length=2000, verbose_name="comment")),
                (
                    "activity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comments",
                        to="sales.activity",
                        verbose_name="interaction",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="activity_comments",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
            ],
            options={
                "verbose_name": "interaction comment",
                "verbose_name_plural": "interaction comments",
                "db_table": "cst_activity_comment",
                "ordering": ["created_at", "id"],
            },
        ),
    ]
