import factory

from accounts.models import Notification, Role, User

PASSWORD = "correct-horse-battery"


def role(slug: str) -> Role:
    """One of the four seeded roles (created by the rights sync after migrate)."""
    return Role.objects.get(slug=slug)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Role {n}")
    description = factory.Faker("sentence", nb_words=4)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)
    role = None


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    text = factory.Faker("sentence")
