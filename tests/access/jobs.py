from functools import cached_property
from typing import Any

from tests.access.matrix import ROLES, Case, allow

SIGNED_IN = tuple(name for name in ROLES if name != "anonymous")


class JobsWorld:
    users: dict[str, Any]

    @cached_property
    def job(self) -> Any:
        """A finished export of `manager`, with a file to download."""
        from django.core.files.base import ContentFile

        from jobs.models import Job

        job = Job.objects.create(
            kind=Job.Kind.EXPORT, name="test", user=self.users["manager"], status="done"
        )
        job.result.save("export.csv", ContentFile(b"a,b\n"))
        return job

    @cached_property
    def checked_job(self) -> Any:
        from jobs.models import Job

        return Job.objects.create(
            kind=Job.Kind.IMPORT, name="test", user=self.users["manager"], status=Job.Status.CHECKED
        )


def _job(world):
    return {"pk": world.job.pk}


OWNER_ONLY = allow("manager", denied=404)

CASES = [
    Case("home", allow(*SIGNED_IN)),
    # The health endpoints of config/ answer everyone, signed in or not.
    Case("health", {**allow(*SIGNED_IN), "anonymous": 200}),
    Case("health-ready", {**allow(*SIGNED_IN), "anonymous": 200}),
    Case("jobs:scheduled", allow("admin")),
    Case(
        "jobs:scheduled-run",
        allow("admin", ok=302),
        kwargs=lambda world: {"name": "birthday-reminders"},
        method="post",
    ),
    Case("jobs:detail", OWNER_ONLY, kwargs=_job),
    Case("jobs:result", OWNER_ONLY, kwargs=_job),
    Case(
        "jobs:confirm",
        allow("manager", ok=302, denied=404),
        kwargs=lambda world: {"pk": world.checked_job.pk},
        method="post",
    ),
    Case(
        "jobs:import-template",
        allow(denied=404),
        kwargs=lambda world: {"name": "no-such-import", "fmt": "csv"},
        label="unknown",
    ),
]
