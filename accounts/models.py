from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.rights import DEFAULT_ROLE_TEXTS, RIGHTS_BY_CODE
from audit.models import tracked
from core.models import TimeStampedModel


class Role(TimeStampedModel):
    """A role (sys_role); each user holds one, and its rights decide what the user may do."""

    name = models.CharField(_("role name"), max_length=50, unique=True)
    description = models.CharField(_("description"), max_length=200)
    is_active = models.BooleanField(_("enabled"), default=True)
    # Marks the four seeded roles so that new rights can be granted to them by default.
    slug = models.SlugField(max_length=30, unique=True, null=True, blank=True, editable=False)
    rights: "models.ManyToManyField[Right, RoleRight]" = models.ManyToManyField(
        "Right", through="RoleRight", related_name="roles", verbose_name=_("rights")
    )

    history = tracked()

    class Meta:
        db_table = "sys_role"
        ordering = ["id"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return str(self.display_name)

    @property
    def display_name(self) -> str:
        """The seeded roles show in the reader's language while they keep their seeded name."""
        name, _description = DEFAULT_ROLE_TEXTS.get(self.slug or "", ("", ""))
        return gettext(self.name) if name and self.name == name else self.name

    @property
    def display_description(self) -> str:
        _name, description = DEFAULT_ROLE_TEXTS.get(self.slug or "", ("", ""))
        if description and self.description == description:
            return gettext(self.description)
        return self.description


class Right(models.Model):
    """A menu folder, a page or an action right (sys_right), synced from `accounts.rights`."""

    class Kind(models.TextChoices):
        FOLDER = "folder", _("Folder")
        PAGE = "page", _("Page")
        ACTION = "action", _("Action")

    code = models.CharField(_("code"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind)
    label = models.CharField(_("text"), max_length=100)
    url_name = models.CharField(_("URL name"), max_length=100, blank=True)
    tip = models.CharField(_("description"), max_length=200, blank=True)
    legacy_code = models.CharField(_("legacy code"), max_length=10, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        db_table = "sys_right"
        ordering = ["position"]
        verbose_name = _("right")
        verbose_name_plural = _("rights")

    def __str__(self) -> str:
        return str(self.display_label)

    @property
    def display_label(self) -> str:
        definition = RIGHTS_BY_CODE.get(self.code)
        return str(definition.label) if definition else self.label

    @property
    def display_tip(self) -> str:
        definition = RIGHTS_BY_CODE.get(self.code)
        return str(definition.tip) if definition else self.tip


class RoleRight(models.Model):
    """A right granted to a role (sys_role_right)."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="grants")
    right = models.ForeignKey(Right, on_delete=models.CASCADE, related_name="grants")

    history = tracked()

    class Meta:
        db_table = "sys_role_right"
        constraints = [
            models.UniqueConstraint(fields=["role", "right"], name="role_right_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.role_id} → {self.right_id}"


class User(TimeStampedModel, AbstractUser):
    """A system user (sys_user); `is_active` is the seed's usr_flag."""

    role = models.ForeignKey(
        Role,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("role"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty to follow the browser."),
    )

    objects: ClassVar[UserManager["User"]] = UserManager()  # type: ignore[assignment]

    history = tracked(excluded_fields=["password", "last_login"])

    class Meta:
        db_table = "sys_user"
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Notification(models.Model):
    """An in-app message for one user, shown under the bell in the top bar."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    is_read = models.BooleanField(_("read"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "is_read", "-created_at"], name="notification_inbox")
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.text


class LoginAttempt(models.Model):
    """One try at the login form, kept for the lockout and for the admins' attempts page.

    Failures count towards a lockout of their username and of their client address until they
    are older than `LOGIN_LOCKOUT_MINUTES`, a successful login clears them (for the username),
    or an admin unlocks the username or the address.
    """

    username = models.CharField(_("username"), max_length=150)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    success = models.BooleanField(_("succeeded"), default=False)
    # A failure stops counting for its username (a success, an unlock) and for its address (an
    # unlock) separately.
    username_cleared = models.BooleanField(_("username unlocked"), default=False)
    address_cleared = models.BooleanField(_("address unlocked"), default=False)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["username", "created_at"], name="login_attempt_username"),
            models.Index(fields=["address", "created_at"], name="login_attempt_address"),
        ]
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")

    def __str__(self) -> str:
        return f"{self.username} @ {self.address} ({'ok' if self.success else 'failed'})"


class SavedView(models.Model):
    """A named query string of one list page (its filters, order and page size), the user's
    own or shared with the team; the user's default view of a list applies when the list is
    opened without a query string (`accounts.saved_views`)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="saved_views", verbose_name=_("user")
    )
    list_key = models.CharField(_("list"), max_length=100)  # the list page's URL name
    name = models.CharField(_("name"), max_length=50)
    query = models.CharField(_("query"), max_length=1000, blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    shared = models.BooleanField(_("shared with the team"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "sys_saved_view"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_key", "name"], name="saved_view_name_once"
            ),
            models.UniqueConstraint(
                fields=["user", "list_key"],
                condition=models.Q(is_default=True),
                name="saved_view_one_default",
            ),
        ]
        indexes = [
            models.Index(fields=["list_key", "user"], name="saved_view_list_user"),
            models.Index(
                fields=["list_key"], condition=models.Q(shared=True), name="saved_view_shared"
            ),
        ]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")

    def __str__(self) -> str:
        return self.name
