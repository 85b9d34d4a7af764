"""``bosetting notify``: raise the notices of deadlines near today and send the e-mails still owed.

    bosetting notify                  # the business date (bosetting.clock.today)
    bosetting notify --date 2015-01-20

The background worker (``bosetting worker``, started by ``bosetting serve``) runs the same scan every
``BOSETTING_NOTIFY_MINUTES``; this command is for cron or a one-off run. Safe to run as often as one
likes: a notice already raised is never raised again (docs/notifications.md).
"""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console

from bosetting.commands._django import setup

console = Console()


def notify(
    on: str = typer.Option(
        "", "--date", help="The day to scan from (YYYY-MM-DD); default the business date."
    ),
) -> None:
    """Raise notices of deadlines near today (answers due, self-settlement offers, leases ending) and
    send the e-mails still owed; old notices are deleted."""
    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        typer.echo(f"notify: ugyldig dato {on!r} (bruk ÅÅÅÅ-MM-DD)", err=True)
        raise typer.Exit(2) from None
    setup()
    # Imported after setup(): the command line starts without Django (docs/architecture.md).
    from bosetting.apps.notifications.choices import NoticeKind
    from bosetting.apps.notifications.services import do_send_due_notices

    report = do_send_due_notices(day)
    console.print(
        f"Frister per {report.today:%d.%m.%Y}: {report.found} funnet, "
        f"{sum(report.created.values())} nye varsler, {report.emails} e-poster sendt, "
        f"{report.pruned} gamle varsler slettet."
    )
    for kind, n in sorted(report.created.items()):
        console.print(f"  {NoticeKind(kind).label}: {n}")


def register(app: typer.Typer) -> None:
    app.command("notify")(notify)
