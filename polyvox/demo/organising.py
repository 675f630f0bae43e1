"""The demo's organisations, a caucus, a joint statement and a dissent (issue 9's scenario).

In the community-network consultation: the secretariat verifies three of the personas'
organisations and leaves the rest unverified; a technical-community organisation approves a
second representative; the civil society caucus discusses in private and publishes its working
draft as a joint statement; organisations of five stakeholder groups and one individual sign it,
one organisation withdraws; a satellite operator publishes a dissent beside it. Every step goes
through the services, so the record, the notifications and the organisations' histories are
the ones a real run would leave.
"""

from datetime import timedelta

from django.utils import timezone

from polyvox.caucuses.models import CaucusMembership
from polyvox.caucuses.services.content import (
    post_in_thread,
    publish_thread,
    save_working_draft,
    start_thread,
)
from polyvox.caucuses.services.membership import (
    create_caucus,
    decide_membership,
    request_membership,
)
from polyvox.joint_statements.models import JointStatement, Relation
from polyvox.joint_statements.services.drafting import publish_from_caucus, publish_linked_statement
from polyvox.joint_statements.services.signing import sign, withdraw_signature
from polyvox.organisations.models import Organisation
from polyvox.organisations.services.registering import register_organisation
from polyvox.organisations.services.representatives import (
    decide_representative,
    request_to_represent,
)
from polyvox.organisations.services.verification import verify_organisation
from polyvox.participants.models import StakeholderGroup, User
from polyvox.processes.models import Process

VERIFIED = ("Réseau Communautaire Ouest", "Pacific Backhaul Ltd", "Secretaría de Innovación")

DRAFT_TITLE = "Community networks need spectrum, not permission"
DRAFT_V1 = (
    "We, the undersigned, ask regulators to reserve unused spectrum for community networks.\n\n"
    "Licence fees should scale with the number of people served."
)
DRAFT_V2 = (
    DRAFT_V1 + "\n\nUniversal service funds should be open to community networks on the same "
    "terms as operators, with reporting proportionate to their size."
)
DISSENT_TITLE = "Spectrum reserved today is satellite capacity lost tomorrow"
DISSENT_BODY = (
    "We support community networks but not a blanket reservation of spectrum: bands shared "
    "with satellite downlinks need coordination case by case, as the ITU Radio Regulations "
    "require. We ask for dynamic sharing instead of reservation."
)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _organisation(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _caucus_draft(process: Process) -> CaucusMembership:
    """The civil society caucus: a request approved, a discussion, two working-draft revisions."""
    amina, layla = _user("amina"), _user("layla")
    caucus = create_caucus(
        actor=amina,
        process=process,
        name="Civil society caucus",
        purpose="Civil society organisations agree a common position before the comment period ends.",
        stakeholder_group=StakeholderGroup.CIVIL_SOCIETY,
    )
    membership = request_membership(
        actor=layla, caucus=caucus, message="Digital Rights Levant would like to join."
    )
    decide_membership(actor=amina, membership=membership, approve=True)
    thread = start_thread(
        actor=amina,
        caucus=caucus,
        title="Do we ask for reserved spectrum or for sharing?",
        body="Reserved spectrum is clearer for small operators; sharing is easier to win.",
    )
    post_in_thread(actor=layla, thread=thread, body="Reserved, with a review after five years.")
    publish_thread(actor=amina, thread=thread)
    first = save_working_draft(actor=amina, caucus=caucus, title=DRAFT_TITLE, body=DRAFT_V1)
    save_working_draft(
        actor=layla,
        caucus=caucus,
        title=DRAFT_TITLE,
        body=DRAFT_V2,
        note="Adds universal service funds",
        based_on=first.number,
    )
    return membership


def build_organising(*, process: Process) -> JointStatement:
    """Organisations, a caucus and a joint statement with a withdrawal and a dissent in `process`
    (its comment phase must be open). Returns the joint statement."""
    sofia = _user("sofia")
    for name in VERIFIED:
        verify_organisation(actor=sofia, organisation=_organisation(name), verified=True)

    oleg, wei, henrik = _user("oleg"), _user("wei"), _user("henrik")
    open_mesh = register_organisation(
        actor=oleg, name="Open Mesh Foundation", stakeholder_group="technical_community",
        country="RU", website="https://openmesh.example.org",
    )  # fmt: skip
    request = request_to_represent(
        actor=wei, organisation=open_mesh, message="I lead our Asia work."
    )
    decide_representative(actor=oleg, representative=request, approve=True)
    nordic = register_organisation(
        actor=henrik, name="Nordic Satellite AS", stakeholder_group="private_sector", country="DK"
    )

    caucus = _caucus_draft(process).caucus
    deadline = timezone.now().replace(second=0, microsecond=0) + timedelta(days=10)
    statement = publish_from_caucus(
        actor=_user("amina"),
        caucus=caucus,
        deadline=deadline,
        organisation=_organisation("Réseau Communautaire Ouest"),
    )
    signers = (
        ("amina", "Réseau Communautaire Ouest"),
        ("layla", "Digital Rights Levant"),
        ("kenji", "Pacific Backhaul Ltd"),
        ("lucia", "Secretaría de Innovación"),
        ("wei", "Open Mesh Foundation"),
        ("priya", "Centre for Internet Policy"),
        ("tomas", None),
    )
    signatures = {
        username: sign(
            actor=_user(username),
            statement=statement,
            organisation=_organisation(name) if name else None,
        )
        for username, name in signers
    }
    withdraw_signature(
        actor=_user("kenji"),
        signature=signatures["kenji"],
        reason="Our board has not approved the paragraph on universal service funds.",
    )
    publish_linked_statement(
        actor=henrik,
        responds_to=statement,
        relation=Relation.DISSENT,
        title=DISSENT_TITLE,
        body=DISSENT_BODY,
        organisation=nordic,
    )
    return statement
