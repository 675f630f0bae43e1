"""factory_boy factories for the core models. Randomness is seeded by factory_boy's sequence."""

from datetime import timedelta

import factory
from django.utils import timezone

from polyvox.participants.models import Profile, StakeholderGroup, User
from polyvox.processes.models import Membership, Phase, Process, Role
from polyvox.processes.phase_types import PhaseKind


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"participant{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def profile(
        self: User, create: bool, extracted: dict[str, object] | None, **kwargs: object
    ) -> None:
        if create:
            Profile.objects.create(
                user=self,
                display_name=self.username.title(),
                stakeholder_group=(extracted or {}).get(
                    "stakeholder_group", StakeholderGroup.CIVIL_SOCIETY
                ),
                country=(extracted or {}).get("country", "KE"),
            )
            self.save()


class ProcessFactory(factory.django.DjangoModelFactory[Process]):
    class Meta:
        model = Process

    slug = factory.Sequence(lambda n: f"process-{n}")
    title = factory.Sequence(lambda n: f"Consultation {n}")
    mandate = "Gather inputs on the draft principles."
    languages = factory.LazyFunction(lambda: ["en"])
    created_by = factory.SubFactory(UserFactory, is_staff=True)


class PhaseFactory(factory.django.DjangoModelFactory[Phase]):
    """An open draft-comment phase by default: started an hour ago, ends in a week."""

    class Meta:
        model = Phase

    process = factory.SubFactory(ProcessFactory)
    kind = PhaseKind.DRAFT_COMMENT
    title = "Comments on the draft"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


def make_secretariat(process: Process, **kwargs: object) -> User:
    user = UserFactory(**kwargs)
    Membership.objects.create(process=process, user=user, role=Role.SECRETARIAT)
    return user
