import datetime

import factory
from django.utils import timezone

from tasks.models import Task
from tests.factories.accounts import UserFactory


class TaskFactory(factory.django.DjangoModelFactory):
    """A task written straight to the table (services are tested on their own)."""

    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"回访客户{n}")
    owner = factory.SubFactory(UserFactory)
    creator = factory.LazyAttribute(lambda task: task.owner)
    due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
