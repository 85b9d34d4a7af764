"""Writes of notices ("varsler"): raising them, e-mailing them, reading them, the user's settings.

- ``do_notify``: the apps that raise events (matching: a proposal sent, a round finished; planning:
  a decision registered) and the deadline scan call it with ``registry.Notice`` objects. Recipients
  follow the permission model (``registry.Audience``): a municipality's notices go to its own
  officers only, IMDi's to the regional office covering the municipality (else IMDi national).
  A notice is stored once per user, kind and key — raising it again does nothing.
- ``do_send_due_notices``: the periodic job (and ``bosetting notify``): the deadlines near today
  from every registered source, the e-mails not yet sent, old notices pruned.
- E-mail goes through Django's mail framework after the transaction commits, one message per user
  per batch, in bokmål; a notice is claimed before its e-mail is sent, so no e-mail goes twice.
- ``do_mark_read``, ``do_mark_all_read``, ``do_set_email_kinds``: the user's own inbox and settings.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bosetting import clock
from bosetting.apps.accounts.selectors import (
    active_user_ids,
    email_addresses,
    imdi_officer_ids,
    municipal_officer_ids,
)
from bosetting.apps.audit.services import do_record, snapshot
from bosetting.apps.notifications.choices import NoticeKind
from bosetting.apps.notifications.models import Notification, NotificationSettings
from bosetting.apps.notifications.registry import Notice, deadline_notices
from bosetting.apps.notifications.selectors import email_kinds_by_user, notification_for
from bosetting.apps.notifications.texts import words

log = logging.getLogger(__name__)

#: Notices younger than this whose e-mail has not gone are tried again by the periodic job.
EMAIL_RETRY_HOURS = 24


# --- raising notices -------------------------------------------------------------------------------


def _recipients(notices: list[Notice]) -> list[tuple[Notice, list[int]]]:
    """Each notice with the ids of the users it goes to (three lookups for the whole batch)."""
    municipal = municipal_officer_ids({n.audience.municipal for n in notices} - {None})
    imdi = imdi_officer_ids({n.audience.imdi_for for n in notices} - {None})
    named = set(active_user_ids(i for n in notices for i in n.audience.user_ids))
    out = []
    for notice in notices:
        a = notice.audience
        ids = set(municipal.get(a.municipal, ())) | set(imdi.get(a.imdi_for, ()))
        ids |= {i for i in a.user_ids if i in named}
        ids.discard(a.exclude_user_id)
        out.append((notice, sorted(ids)))
    return out


@transaction.atomic
def do_notify(notices: Iterable[Notice], *, email: bool = True) -> Counter:
    """Store notices for their recipients, once per user, kind and key; their e-mails go after the
    transaction commits (``email=False``: the caller sends them). Returns how many new notices of
    each kind were stored."""
    notices = list(notices)
    if not notices:
        return Counter()
    keys = {n.key for n in notices}
    existing = set(Notification.objects.filter(key__in=keys).values_list("user_id", "kind", "key"))
    rows = []
    for notice, user_ids in _recipients(notices):
        for user_id in user_ids:
            if (user_id, notice.kind, notice.key) in existing:
                continue
            existing.add((user_id, notice.kind, notice.key))
            rows.append(
                Notification(
                    user_id=user_id,
                    kind=notice.kind,
                    key=notice.key,
                    params=notice.params,
                    url=notice.url,
                    due_on=notice.due_on,
                )
            )
    # ignore_conflicts: a notice raised at the same moment by another process is kept once.
    Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    if rows and email:
        new_keys = sorted({r.key for r in rows})
        transaction.on_commit(lambda: do_send_emails(keys=new_keys))
    return Counter(r.kind for r in rows)


# --- e-mail ------------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.BOSETTING_SITE_URL.rstrip("/") + path if path.startswith("/") else path


def _message(address: str, notices: list[Notification]) -> EmailMessage:
    """One e-mail with a user's new notices, in bokmål (the users' working language)."""
    with translation.override("nb"):
        lines = []
        for n in notices:
            title, body = words(n.kind, n.params)
            lines += [title, body]
            if n.url:
                lines.append(_absolute(n.url))
            lines.append("")
        if len(notices) == 1:
            subject = words(notices[0].kind, notices[0].params)[0]
        else:
            subject = _("%(n)s nye varsler") % {"n": len(notices)}
        lines.append(
            _(
                "Du får denne e-posten fordi du har valgt varsel på e-post. Endre valget her: %(url)s"
            )
            % {"url": _absolute("/varsler/innstillinger/")}
        )
        return EmailMessage(
            subject=f"[Bosetting] {subject}",
            body="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        )


def do_send_emails(*, keys: Iterable[str] | None = None) -> int:
    """E-mail the notices not yet e-mailed (those with ``keys``, else every one of the last
    ``EMAIL_RETRY_HOURS``) to the users who want their kind by e-mail and have an address. Each user
    gets one message. A notice is claimed (``emailed_at``) before its message is sent and released if
    sending fails, so that no notice is e-mailed twice. Returns the number of messages sent."""
    pending = Notification.objects.filter(emailed_at__isnull=True)
    if keys is not None:
        pending = pending.filter(key__in=list(keys))
    else:
        pending = pending.filter(
            created_at__gte=timezone.now() - timedelta(hours=EMAIL_RETRY_HOURS)
        )
    rows = list(pending.values_list("pk", "user_id", "kind"))
    if not rows:
        return 0
    user_ids = {user_id for _pk, user_id, _kind in rows}
    wanted = email_kinds_by_user(user_ids)
    addresses = email_addresses(user_ids)
    by_user: dict[int, list[int]] = defaultdict(list)
    for pk, user_id, kind in rows:
        if user_id in addresses and kind in wanted.get(user_id, ()):
            by_user[user_id].append(pk)
    sent = 0
    connection = get_connection(fail_silently=False)
    for user_id, ids in sorted(by_user.items()):
        stamp = timezone.now()
        Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=stamp)
        claimed = list(Notification.objects.filter(pk__in=ids, emailed_at=stamp).order_by("pk"))
        if not claimed:
            continue
        try:
            connection.send_messages([_message(addresses[user_id], claimed)])
        except Exception:  # noqa: BLE001 - a mail server's failure must not lose the notice
            log.warning("notice e-mail to user %s not sent", user_id, exc_info=True)
            Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(emailed_at=None)
            continue
        sent += 1
    return sent


# --- the periodic job -------------------------------------------------------------------------------


@dataclass
class DueReport:
    """What one run of the deadline scan did: deadlines found, new notices by kind, e-mails sent
    (one per user with news), old notices deleted."""

    today: date
    found: int = 0
    created: Counter = field(default_factory=Counter)
    emails: int = 0
    pruned: int = 0


def do_send_due_notices(today: date | None = None) -> DueReport:
    """Raise the notices of deadlines near ``today`` (the business date by default) from every
    registered source, send the e-mails still owed, and delete notices older than
    ``BOSETTING_NOTIFICATION_KEEP_DAYS``. Safe to run as often as one likes: a notice already raised
    is not raised again."""
    today = today or clock.today()
    notices = deadline_notices(today)
    report = DueReport(today, found=len(notices))
    report.created = do_notify(notices, email=False)
    report.emails = do_send_emails()  # the new notices' and any still owed
    report.pruned = do_prune()
    return report


def do_prune() -> int:
    """Delete notices older than ``BOSETTING_NOTIFICATION_KEEP_DAYS`` (read or not). Returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.BOSETTING_NOTIFICATION_KEEP_DAYS)
    deleted, _by_model = Notification.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- the user's own inbox and settings ----------------------------------------------------------------


def do_mark_read(user, notification_id: int) -> Notification:
    """Mark one of the user's own notices as read (``Http404`` for anyone else's)."""
    notification = notification_for(user, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def do_mark_all_read(user) -> int:
    """Mark all the user's unread notices as read. Returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def do_set_email_kinds(user, kinds: Iterable[str]) -> NotificationSettings:
    """Choose which kinds of notice come by e-mail ("varsel på e-post"); the others come only in the
    inbox. Audited.

    Raises:
        ValidationError: an unknown kind (field ``email_kinds``).
    """
    kinds = sorted(set(kinds))
    unknown = [k for k in kinds if k not in NoticeKind.values]
    if unknown:
        raise ValidationError(
            {"email_kinds": _("Ukjent varseltype: %(k)s") % {"k": ", ".join(unknown)}}
        )
    row, created = NotificationSettings.objects.select_for_update().get_or_create(
        user=user, defaults={"email_kinds": kinds}
    )
    before = None if created else snapshot(row)
    if not created and row.email_kinds != kinds:
        row.email_kinds = kinds
        row.save()
    if created or before != snapshot(row):
        do_record(user, "create" if created else "update", row, before)
    return row
