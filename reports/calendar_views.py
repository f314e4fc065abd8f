"""The calendar page and its JSON feed (the agenda of `reports.agenda`)."""

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.models import User
from accounts.selectors import active_users_with_right
from core.views import acting_user
from reports.agenda import RangeError, calendar_feed, parse_range
from tasks.permissions import VIEW_RIGHT, can_overlay_calendars, can_view_calendar_of
from tasks.selectors import CALENDAR_LIMIT

VIEWS = {"month": "dayGridMonth", "week": "timeGridWeek", "day": "timeGridDay"}
CALENDAR_NOT_ALLOWED = gettext_lazy("You may not see this user's calendar.")


def _owner(request: HttpRequest) -> User:
    """Whose calendar: the viewer's, or (for supervisors) the rep of `?user=`."""
    user = acting_user(request)
    wanted = request.GET.get("user", "")
    if not wanted:
        return user
    if not wanted.isdigit():
        raise PermissionDenied(CALENDAR_NOT_ALLOWED)
    owner = get_object_or_404(User, pk=int(wanted))
    if not can_view_calendar_of(user, owner):
        raise PermissionDenied(CALENDAR_NOT_ALLOWED)
    return owner


class CalendarView(PermissionRequiredMixin, TemplateView):
    """Month, week and day views of the user's agenda; supervisors pick a rep to overlay."""

    permission_required = VIEW_RIGHT
    template_name = "reports/calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        owner = _owner(self.request)
        reps = (
            list(active_users_with_right(VIEW_RIGHT).order_by("first_name", "username"))
            if can_overlay_calendars(user)
            else []
        )
        view = VIEWS.get(self.request.GET.get("view", ""), VIEWS["month"])
        date = self.request.GET.get("date", "")[:10]
        return super().get_context_data(
            owner=owner,
            reps=reps,
            task_limit=CALENDAR_LIMIT,
            calendar_config={
                "eventsUrl": reverse("reports:calendar-events"),
                "moveUrl": reverse("tasks:move", args=[0]),
                "owner": owner.pk if owner.pk != user.pk else None,
                "initialView": view,
                "initialDate": date if len(date) == 10 else None,
            },
            **kwargs,
        )


class CalendarEventsView(PermissionRequiredMixin, View):
    """The agenda of [start, end) as JSON; a malformed or too long range is a 400 with the
    reason, a rep the viewer may not overlay a 403."""

    permission_required = VIEW_RIGHT
    raise_exception = True

    def get(self, request: HttpRequest) -> JsonResponse:
        try:
            start, end = parse_range(request.GET.get("start"), request.GET.get("end"))
        except RangeError as error:
            return JsonResponse({"error": str(error)}, status=400)
        try:
            owner = _owner(request)
        except PermissionDenied as error:
            return JsonResponse({"error": str(error)}, status=403)
        feed = calendar_feed(acting_user(request), owner, start, end)
        return JsonResponse(feed, json_dumps_params={"ensure_ascii": False})
