"""Customer managers subscribe themselves to report e-mails: grant the seeded manager role the
report-e-mail right in installations seeded before it was one of its defaults (a fresh
installation gets it from the rights sync after migrate)."""

from django.db import migrations

RIGHT = "reports.schedule_report"


def grant(apps, schema_editor):
    Right = apps.get_model("accounts", "Right")
    Role = apps.get_model("accounts", "Role")
    RoleRight = apps.get_model("accounts", "RoleRight")
    right = Right.objects.filter(code=RIGHT).first()
    role = Role.objects.filter(slug="manager").first()
    if right is not None and role is not None:
        RoleRight.objects.get_or_create(role=role, right=right)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_login_attempt")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
