"""Notices ("varsler"): the bearer's own — unread first, newest first — marking them read, and the
choice of which kinds also come by e-mail. Nobody reads or marks another user's notices (404)."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from bosetting.api._errors import answers, service_errors
from bosetting.api._fields import Id
from bosetting.api._paging import Page
from bosetting.apps.notifications import selectors, services
from bosetting.apps.notifications.choices import NoticeKind

PREFIX = "notifications"
router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: NoticeKind
    title: str = Field(..., description="In the language of the request (bokmål by default).")
    body: str
    url: str = Field(..., description="The page to act on (a path of the web app).")
    due_on: date | None = Field(None, description="The deadline the notice warns of.")
    created_at: datetime
    read: bool

    @staticmethod
    def resolve_title(obj) -> str:
        return selectors.shown(obj).title

    @staticmethod
    def resolve_body(obj) -> str:
        return selectors.shown(obj).body

    @staticmethod
    def resolve_read(obj) -> bool:
        return obj.read_at is not None


class NotificationFilters(Schema):
    unread: bool | None = Field(None, description="true: only unread; false: only read.")
    kind: NoticeKind | None = None


class MarkedOut(Schema):
    marked: int


class NotificationSettingsOut(Schema):
    kinds: list[NoticeKind] = Field(..., description="The kinds of notice the user's role gets.")
    email_kinds: list[NoticeKind] = Field(..., description="Those that also come by e-mail.")
    email: str = Field(..., description="Where e-mail goes (empty: the user has no address).")


class NotificationSettingsIn(Schema):
    email_kinds: list[NoticeKind] = Field(..., max_length=len(NoticeKind.values))


@router.get("", response=answers({200: list[NotificationOut]}, 401, 422))
@paginate(Page)
def list_notifications(request, filters: Query[NotificationFilters]):
    """The bearer's own notices, unread first, then newest first; paged."""
    qs = selectors.notifications_for(request.user)
    if filters.unread is not None:
        qs = qs.filter(read_at__isnull=filters.unread)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs


@router.post("/read-all", response=answers({200: MarkedOut}, 401, 403))
def mark_all_read(request):
    """Mark every one of the bearer's notices read."""
    return {"marked": services.do_mark_all_read(request.user)}


@router.post(
    "/{notification_id}/read", response=answers({200: NotificationOut}, 401, 403, 404, 422)
)
def mark_read(request, notification_id: Id):
    """Mark one of the bearer's notices read (404 for anyone else's)."""
    return services.do_mark_read(request.user, notification_id)


def _settings(user) -> dict:
    return {
        "kinds": selectors.kinds_for(user),
        "email_kinds": sorted(selectors.email_kinds_for(user)),
        "email": user.email or "",
    }


@router.get("/settings", response=answers({200: NotificationSettingsOut}, 401))
def get_settings(request):
    """Which kinds of notice the bearer gets, and which of them by e-mail."""
    return _settings(request.user)


@router.put("/settings", response=answers({200: NotificationSettingsOut}, 400, 401, 403, 422))
def put_settings(request, payload: NotificationSettingsIn):
    """Choose which kinds come by e-mail (kinds outside the role's are left out). Audited."""
    allowed = set(selectors.kinds_for(request.user))
    with service_errors():
        services.do_set_email_kinds(request.user, [k for k in payload.email_kinds if k in allowed])
    return _settings(request.user)
