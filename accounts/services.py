"""Every write of the permissions module: rights sync, users, roles, grants, notifications."""

from collections.abc import Iterable
from typing import Final

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from accounts.models import LoginAttempt, Notification, Right, Role, RoleRight, User
from accounts.rights import DEFAULT_ROLES, RIGHTS, RIGHTS_BY_CODE
from accounts.selectors import login_is_locked, role_right_codes
from audit.models import AuditEvent
from audit.services import audit_record

# Rights without which nobody could manage users or give rights back: each keeps at least one
# enabled user holding it through an enabled role.
PROTECTED_RIGHTS: Final = ("accounts.manage_users", "accounts.manage_roles")
LAST_HOLDER: Final = gettext_lazy(
    "Refused: nobody else would keep the right “%(right)s”. Give it to another enabled user first."
)
OWN_PASSWORD_VIA_CHANGE_FORM: Final = gettext_lazy(
    "Change your own password on the password-change page, with your current password."
)
LOGIN_LOCKED: Final = gettext_lazy(
    "Too many failed logins. Logging in is locked for %(minutes)d minutes; try again later or "
    "ask your administrator to unlock it."
)
UNLOCK_NOTHING: Final = gettext_lazy("Choose a username or an address to unlock.")


def right_would_be_unheld(
    code: str, *, without_user: User | None = None, without_role: Role | None = None
) -> bool:
    """Would nobody hold the right `code` any more (an enabled user through an enabled role)
    once `without_user` loses it, or `without_role` loses it or is disabled?"""
    holders = User.objects.filter(is_active=True, role__is_active=True, role__rights__code=code)
    if without_user is not None:
        holders = holders.exclude(pk=without_user.pk)
    if without_role is not None:
        holders = holders.exclude(role=without_role)
    return not holders.exists()


def _keep_a_holder(
    codes: Iterable[str], *, without_user: User | None = None, without_role: Role | None = None
) -> None:
    for code in codes:
        if right_would_be_unheld(code, without_user=without_user, without_role=without_role):
            raise ValidationError(LAST_HOLDER % {"right": RIGHTS_BY_CODE[code].label})


def _protected_rights_of(user: User) -> list[str]:
    """The protected rights `user` holds now (an enabled user with an enabled role)."""
    if not user.is_active or user.role is None or not user.role.is_active:
        return []
    held = set(user.role.rights.filter(code__in=PROTECTED_RIGHTS).values_list("code", flat=True))
    return [code for code in PROTECTED_RIGHTS if code in held]


@transaction.atomic
def rights_sync(*, using: str = "default") -> None:
    """Make `sys_right` mirror the registry; seed the default roles into an empty role table.

    A right that is new to the table is granted to the seeded roles its definition names, so
    adding a right in code reaches the right people on the next migrate; existing grants, which
    admins edit, are left alone.
    """
    existing = {right.code: right for right in Right.objects.using(using).all()}
    saved: dict[str, Right] = {}
    created: list[Right] = []
    with translation.override("en"):
        for position, definition in enumerate(RIGHTS):
            right = existing.pop(definition.code, None) or Right(code=definition.code)
            is_new = right.pk is None
            right.parent = saved[definition.parent] if definition.parent else None
            right.kind = definition.kind
            right.label = str(definition.label)
            right.url_name = definition.url_name
            right.tip = str(definition.tip)
            right.legacy_code = definition.legacy_code
            right.position = position
            right.save(using=using)
            saved[right.code] = right
            if is_new:
                created.append(right)
    Right.objects.using(using).filter(pk__in=[right.pk for right in existing.values()]).delete()

    roles = Role.objects.using(using)
    if not roles.exists():
        for slug, name, description in DEFAULT_ROLES:
            roles.create(slug=slug, name=name, description=description)
        created = list(saved.values())
    by_slug = {role.slug: role for role in roles.exclude(slug=None)}
    RoleRight.objects.using(using).bulk_create(
        [
            RoleRight(role=by_slug[slug], right=right)
            for right in created
            for slug in RIGHTS_BY_CODE[right.code].default_roles
            if slug in by_slug
        ],
        ignore_conflicts=True,
    )


# Users ---------------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    role: Role | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_active: bool = True,
) -> User:
    """Create a user with a role; the username is unique regardless of case."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user with that username already exists.")})
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_active=is_active,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        action=AuditEvent.Action.USER_CREATE,
        actor=actor,
        obj=user,
        details={"role": str(role or ""), "is_active": is_active},
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    username: str,
    role: Role | None,
    first_name: str,
    last_name: str,
    email: str,
) -> User:
    """Change a user's name, e-mail and role; an admin cannot take away their own role."""
    if User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        raise ValidationError({"username": _("A user with that username already exists.")})
    if user.pk == actor.pk and role != user.role:
        raise ValidationError({"role": _("You cannot change your own role.")})
    if role != user.role:
        kept = set() if role is None or not role.is_active else role_right_codes(role)
        _keep_a_holder(
            [code for code in _protected_rights_of(user) if code not in kept], without_user=user
        )
    user.username = username
    user.role = role
    user.first_name = first_name
    user.last_name = last_name
    user.email = email
    user.save(update_fields=["username", "role", "first_name", "last_name", "email", "updated_at"])
    audit_record(
        action=AuditEvent.Action.USER_CHANGE,
        actor=actor,
        obj=user,
        details={"role": str(role or ""), "email": email},
    )
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, is_active: bool) -> User:
    """Enable or disable a user; a disabled user cannot log in and loses any open session."""
    if user.pk == actor.pk and not is_active:
        raise ValidationError(_("You cannot disable your own account."))
    if not is_active:
        _keep_a_holder(_protected_rights_of(user), without_user=user)
    user.is_active = is_active
    user.save(update_fields=["is_active", "updated_at"])
    audit_record(
        action=AuditEvent.Action.USER_CHANGE,
        actor=actor,
        obj=user,
        details={"is_active": is_active},
    )
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> User:
    """An admin sets a new password for another user; one's own goes through the
    password-change form, which asks for the current one."""
    if user.pk == actor.pk:
        raise ValidationError(OWN_PASSWORD_VIA_CHANGE_FORM)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    audit_record(
        action=AuditEvent.Action.PASSWORD_CHANGE,
        actor=actor,
        obj=user,
        details={"own": actor.pk == user.pk},
    )
    return user


def user_delete(*, actor: User, user: User) -> None:
    """Delete a user nothing refers to; otherwise refuse and suggest disabling the account."""
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot delete your own account."))
    _keep_a_holder(_protected_rights_of(user), without_user=user)
    try:
        with transaction.atomic():
            label, pk = str(user), user.pk
            user.delete()
            audit_record(
                action=AuditEvent.Action.USER_DELETE,
                actor=actor,
                object_type="accounts.user",
                object_id=pk,
                label=label,
            )
    except ProtectedError as exc:
        raise ValidationError(
            _(
                "“%(user)s” cannot be deleted because business records refer to this user. "
                "Disable the account instead."
            )
            % {"user": user.username}
        ) from exc


@transaction.atomic
def user_update_profile(
    *, user: User, first_name: str, last_name: str, email: str, language: str
) -> User:
    """Let a user change their own name, e-mail and preferred language."""
    user.first_name = first_name
    user.last_name = last_name
    user.email = email
    user.language = language
    user.save(update_fields=["first_name", "last_name", "email", "language", "updated_at"])
    return user


def user_set_language(*, user: User, language: str) -> User:
    """Remember the language a signed-in user picked in the switcher."""
    user.language = language
    user.save(update_fields=["language", "updated_at"])
    return user


# Roles ---------------------------------------------------------------------------------------


def _check_role_name(name: str, role: Role | None = None) -> None:
    if not name.strip():
        raise ValidationError({"name": _("Enter a role name.")})
    clash = Role.objects.filter(name__iexact=name.strip())
    if role is not None:
        clash = clash.exclude(pk=role.pk)
    if clash.exists():
        raise ValidationError({"name": _("A role with that name already exists.")})


@transaction.atomic
def role_create(*, actor: User, name: str, description: str, is_active: bool = True) -> Role:
    """Create a role with no rights; rights are chosen afterwards in the rights tree."""
    _check_role_name(name)
    role = Role.objects.create(name=name.strip(), description=description, is_active=is_active)
    audit_record(action=AuditEvent.Action.ROLE_CREATE, actor=actor, obj=role)
    return role


@transaction.atomic
def role_update(*, actor: User, role: Role, name: str, description: str) -> Role:
    """Rename or re-describe a role."""
    _check_role_name(name, role)
    role.name = name.strip()
    role.description = description
    role.save(update_fields=["name", "description", "updated_at"])
    audit_record(action=AuditEvent.Action.ROLE_CHANGE, actor=actor, obj=role)
    return role


@transaction.atomic
def role_set_active(*, actor: User, role: Role, is_active: bool) -> Role:
    """Enable or disable a role; the users of a disabled role hold no rights."""
    if not is_active and actor.role_id == role.pk:
        raise ValidationError(_("You cannot disable your own role."))
    if not is_active and role.is_active:
        held = role_right_codes(role)
        _keep_a_holder([code for code in PROTECTED_RIGHTS if code in held], without_role=role)
    role.is_active = is_active
    role.save(update_fields=["is_active", "updated_at"])
    audit_record(
        action=AuditEvent.Action.ROLE_CHANGE,
        actor=actor,
        obj=role,
        details={"is_active": is_active},
    )
    return role


@transaction.atomic
def role_delete(*, actor: User, role: Role) -> None:
    """Delete a role that no user holds."""
    holders = role.users.count()
    if holders:
        raise ValidationError(
            _("“%(role)s” cannot be deleted: %(count)d user(s) hold this role.")
            % {"role": role.display_name, "count": holders}
        )
    label, pk = str(role), role.pk
    role.delete()
    audit_record(
        action=AuditEvent.Action.ROLE_DELETE,
        actor=actor,
        object_type="accounts.role",
        object_id=pk,
        label=label,
    )


@transaction.atomic
def role_set_rights(*, actor: User, role: Role, codes: Iterable[str]) -> Role:
    """Replace a role's rights; a folder is granted when any right under it is."""
    wanted = set(codes)
    unknown = wanted - set(RIGHTS_BY_CODE)
    if unknown:
        raise ValidationError(
            _("Unknown rights: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
        )
    if actor.role_id == role.pk and "accounts.manage_roles" not in wanted:
        raise ValidationError(
            _("You cannot take the right to manage roles away from your own role.")
        )
    if role.is_active:
        held = role_right_codes(role)
        _keep_a_holder(
            [code for code in PROTECTED_RIGHTS if code in held and code not in wanted],
            without_role=role,
        )
    wanted |= {parent for code in wanted if (parent := RIGHTS_BY_CODE[code].parent)}
    rights = Right.objects.filter(code__in=wanted)
    held = set(role.grants.values_list("right__code", flat=True))
    # Row by row (deletes) and with history rows (creates): the role's change history.
    role.grants.exclude(right__in=rights).delete()
    bulk_create_with_history(
        [RoleRight(role=role, right=right) for right in rights if right.code not in held],
        RoleRight,
    )
    granted, revoked = sorted(wanted - held), sorted(held - wanted)
    if granted or revoked:
        audit_record(
            action=AuditEvent.Action.RIGHTS_CHANGE,
            actor=actor,
            obj=role,
            details={"granted": granted, "revoked": revoked},
        )
    return role


# Notifications -------------------------------------------------------------------------------


def language_of(user: User) -> str:
    """The language everything addressed to `user` is written in (notifications, e-mails and
    their attachments): the one of their profile, else the site default — never the language
    of whoever or whatever (a job, a worker) caused the message."""
    return user.language or settings.LANGUAGE_CODE


def notify(*, user: User, text: str | Promise, link: str = "") -> Notification:
    """Leave a message for a user under the bell, written in the recipient's language.

    Pass a lazy text (`format_lazy`) so that it is rendered in the recipient's language rather
    than in the language of whoever caused the notification.
    """
    return Notification.objects.create(user=user, text=_rendered(user, text)[:500], link=link)


def notify_many(messages: Iterable[tuple[User, str | Promise, str]]) -> list[Notification]:
    """`notify` for many (user, text, link) at once, in one INSERT per thousand (the reminder
    tick); each text in its recipient's language, as `notify`."""
    return Notification.objects.bulk_create(
        [
            Notification(user=user, text=_rendered(user, text)[:500], link=link)
            for user, text, link in messages
        ],
        batch_size=1000,
    )


def _rendered(user: User, text: str | Promise) -> str:
    if isinstance(text, str):
        return text  # already rendered by the caller, in the recipient's language
    with translation.override(language_of(user)):
        return str(text)


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of a user's unread notifications as read."""
    unread = Notification.objects.filter(user=user, is_read=False)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(is_read=True)


# Login attempts ------------------------------------------------------------------------------


def login_attempt_record(
    *, username: str, address: str | None, user_agent: str, success: bool
) -> LoginAttempt:
    """Record a try at the login form; a success clears the username's earlier failures."""
    username = username.strip().lower()[:150]
    if success:
        LoginAttempt.objects.filter(
            username=username, success=False, username_cleared=False
        ).update(username_cleared=True)
    was_locked = not success and login_is_locked(username=username, address=address)
    attempt = LoginAttempt.objects.create(
        username=username, address=address, user_agent=user_agent[:300], success=success
    )
    if not success and not was_locked and login_is_locked(username=username, address=address):
        audit_record(
            action=AuditEvent.Action.LOCKOUT,
            actor=None,
            object_type="accounts.user",
            label=username,
            details={"username": username, "address": address or ""},
            address=address or "",
            user_agent=user_agent[:300],
        )
    return attempt


def login_locked_message() -> str:
    return str(LOGIN_LOCKED % {"minutes": settings.LOGIN_LOCKOUT_MINUTES})


@transaction.atomic
def login_unlock(*, actor: User, username: str = "", address: str = "") -> int:
    """Clear the failures of a username or of an address, which unlocks it now."""
    if not actor.has_perm("accounts.manage_users"):
        raise ValidationError(_("You may not unlock logins."))
    failures = LoginAttempt.objects.filter(success=False)
    if username:
        return failures.filter(username=username.strip().lower(), username_cleared=False).update(
            username_cleared=True
        )
    if address:
        validate_ipv46_address(address)
        return failures.filter(address=address, address_cleared=False).update(address_cleared=True)
    raise ValidationError(UNLOCK_NOTHING)
