"""Writes of coordination data: the report's seed (idempotent), assessments, events and the joint
municipal report. Every user write checks permission and is audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import role_of, scope_for
from bosetting.apps.audit.services import do_record, snapshot
from bosetting.apps.coordination import seed_data
from bosetting.apps.coordination.models import (
    Agreement,
    CoordinationAssessment,
    CoordinationEvent,
    CoordinationForm,
    Degree,
    EventKind,
    JointReport,
    LadderAssessment,
    OfficePair,
    Programme,
    WheelItem,
)
from bosetting.apps.geo import selectors as geo


def _src(lines: str) -> str:
    return f"{seed_data.REPORT} {lines}"


@transaction.atomic
def do_load_seed() -> dict[str, int]:
    """Load Table 5.2, the appendix and the ladder into the database (idempotent: seeded rows are
    recognised by their ``seed_key`` and replaced; rows entered by users are left alone).
    Needs the regional offices (``geo``) loaded first."""
    offices = {o.code: o for o in geo.regional_offices()}
    pairs: dict[str, OfficePair] = {}
    for position, (region, hb, imdi, first, last, _cells) in enumerate(seed_data.TABLE_5_2):
        pair, _ = OfficePair.objects.update_or_create(
            imdi_office=offices[imdi],
            husbanken_office=offices[hb],
            defaults={
                "region": region,
                "position": position,
                "source": _src(f"Tabell 5.2 L{first}–{last}"),
            },
        )
        pairs[seed_data.pair_key(hb, imdi)] = pair

    CoordinationAssessment.objects.exclude(seed_key="").delete()
    assessments = []
    for region, hb, imdi, first, last, cells in seed_data.TABLE_5_2:
        pair = pairs[seed_data.pair_key(hb, imdi)]
        for form, printed in zip(seed_data.COLUMNS, cells, strict=True):
            present, degree, marker = seed_data.parse_cell(printed)
            footnote = ""
            if marker == "*":
                footnote = seed_data.FOOTNOTE_INDRE_OST
            elif marker == "**":
                footnote = seed_data.FOOTNOTE_SOR
            assessments.append(
                CoordinationAssessment(
                    pair=pair,
                    form=form,
                    present=present,
                    degree=degree,
                    printed_value=printed.rstrip("*"),
                    footnote=footnote,
                    as_of=seed_data.AS_OF,
                    source=_src(f"Tabell 5.2 L{first}–{last}"),
                    seed_key=f"t52:{region}:{hb}:{imdi}:{form}",
                )
            )
    CoordinationAssessment.objects.bulk_create(assessments)

    Agreement.objects.exclude(seed_key="").delete()  # cascades to the seeded annual wheels
    wheel = []
    for entry in seed_data.AGREEMENTS:
        agreement = Agreement.objects.create(
            pair=pairs[entry["pair"]],
            kind=entry["kind"],
            status=entry["status"],
            title=entry["title"],
            period_note=entry.get("period_note", ""),
            content=entry.get("content", ""),
            source=_src(entry["source"]),
            seed_key=entry["key"],
        )
        for title, times, lines in entry.get("wheel", ()):
            wheel.append(
                WheelItem(
                    agreement=agreement, title=title, times_per_year=times, source=_src(lines)
                )
            )
    WheelItem.objects.bulk_create(wheel)

    CoordinationEvent.objects.exclude(seed_key="").delete()
    for entry in seed_data.EVENTS:
        for pair_key in entry["pairs"]:
            event = CoordinationEvent.objects.create(
                pair=pairs[pair_key],
                kind=entry["kind"],
                form=entry.get("form", ""),
                title=entry["title"],
                description=entry.get("description", ""),
                starts_on=entry.get("starts_on"),
                ends_on=entry.get("ends_on"),
                when_text=entry.get("when_text", ""),
                times_per_year=entry.get("times_per_year", ""),
                source=_src(entry["source"]),
                seed_key=f"{entry['key']}:{pair_key}",
            )
            event.offices.set([offices[c] for c in entry["offices"]])

    LadderAssessment.objects.exclude(seed_key="").delete()
    LadderAssessment.objects.bulk_create(
        [
            LadderAssessment(
                pair=pairs[key],
                level=level,
                lower_bound=lower,
                as_of=seed_data.AS_OF,
                note=note,
                source=_src(lines),
                seed_key=f"ladder:{key}",
            )
            for key, level, lower, note, lines in seed_data.LADDER
        ]
    )

    seen = set()
    for entry in seed_data.PROGRAMMES:
        seen.add(entry["key"])
        Programme.objects.update_or_create(
            seed_key=entry["key"],
            defaults={
                "office": offices[entry["office"]],
                "kind": entry["kind"],
                "name": entry["name"],
                "municipality_count": entry.get("count"),
                "count_text": entry.get("count_text", ""),
                "status_note": entry.get("status", ""),
                "overlap_note": entry.get("overlap", ""),
                "as_of": seed_data.AS_OF,
                "source": _src(entry["source"]),
            },
        )
    Programme.objects.exclude(seed_key="").exclude(seed_key__in=seen).delete()
    return {
        "office_pairs": OfficePair.objects.count(),
        "coordination_assessments": CoordinationAssessment.objects.count(),
        "coordination_events": CoordinationEvent.objects.count(),
        "programmes": Programme.objects.count(),
    }


# --- permissions -------------------------------------------------------------------------------


def can_edit_pair(user, pair: OfficePair) -> bool:
    """IMDi and Husbanken staff may edit their own office pairs; IMDi national may edit all."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    role = role_of(user)
    if role == Role.IMDI_NATIONAL:
        return True
    if role in (Role.IMDI_REGIONAL, Role.HUSBANKEN):
        office_id = user.profile.office_id
        return office_id in (pair.imdi_office_id, pair.husbanken_office_id)
    return False


def check_edit_pair(user, pair: OfficePair) -> None:
    if not can_edit_pair(user, pair):
        raise PermissionDenied("Bare IMDi og Husbanken i dette kontorparet kan endre samordningen.")


def can_submit_joint_report(user, municipality_number: str) -> bool:
    """Only the municipality itself fills in its joint report."""
    return role_of(user) == Role.MUNICIPAL and scope_for(user).covers(municipality_number)


# --- writes ------------------------------------------------------------------------------------


@transaction.atomic
def do_record_assessment(
    user,
    pair: OfficePair,
    form: str,
    present: bool | None,
    degree: str,
    as_of: date,
    source: str = "",
) -> CoordinationAssessment:
    """Record a new dated assessment of one coordination form for an office pair."""
    check_edit_pair(user, pair)
    if form not in CoordinationForm.values:
        raise ValidationError({"form": "Ukjent samarbeidsform."})
    if degree and degree not in Degree.values:
        raise ValidationError({"degree": "Ukjent grad."})
    if present is None and not degree:
        raise ValidationError({"present": "Oppgi ja/nei eller grad."})
    obj = CoordinationAssessment.objects.create(
        pair=pair,
        form=form,
        present=present,
        degree=degree,
        as_of=as_of,
        source=source or f"Registrert av {user.get_username()}",
        recorded_by=user,
    )
    do_record(user, "create", obj)
    return obj


@transaction.atomic
def do_add_event(
    user,
    pair: OfficePair,
    kind: str,
    title: str,
    starts_on: date | None,
    description: str = "",
    form: str = "",
) -> CoordinationEvent:
    """Add a dated entry to an office pair's timeline (e.g. a joint municipality meeting)."""
    if kind not in EventKind.values:  # a malformed entry is refused before the permission check
        raise ValidationError({"kind": "Ukjent type."})
    check_edit_pair(user, pair)
    if not title.strip():
        raise ValidationError({"title": "Tittel mangler."})
    obj = CoordinationEvent.objects.create(
        pair=pair,
        kind=kind,
        form=form,
        title=title.strip(),
        description=description,
        starts_on=starts_on,
        source=f"Registrert av {user.get_username()}",
        recorded_by=user,
    )
    obj.offices.set([pair.imdi_office, pair.husbanken_office])
    do_record(user, "create", obj)
    return obj


JOINT_REPORT_FIELDS = (
    "settled_persons",
    "family_reunified_persons",
    "planned_settlement_next_year",
    "introduction_participants",
    "municipal_dwellings_total",
    "dwellings_for_refugees",
    "dwellings_needed_next_year",
    "start_loans_to_refugees",
    "settlement_in_housing_plan",
    "challenges",
    "help_wanted",
)


@transaction.atomic
def do_submit_joint_report(user, municipality_number: str, year: int, answers: dict) -> JointReport:
    """Create or update the municipality's joint report to IMDi and Husbanken for a year."""
    if not can_submit_joint_report(user, municipality_number):
        raise PermissionDenied("Bare kommunen selv kan sende sin felles rapport.")
    municipality = geo.municipality(municipality_number)
    unknown = set(answers) - set(JOINT_REPORT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Ukjent felt."})
    if answers.get("settled_persons") is None:
        raise ValidationError({"settled_persons": "Antall bosatte mangler."})
    existing = JointReport.objects.filter(municipality=municipality, year=year).first()
    before = snapshot(existing) if existing else None
    report = existing or JointReport(municipality=municipality, year=year)
    for name, value in answers.items():
        setattr(report, name, value)
    report.submitted_by = user
    report.full_clean()
    report.save()
    do_record(user, "update" if existing else "create", report, before=before)
    return report


@transaction.atomic
def do_add_agreement(
    user,
    pair: OfficePair,
    kind: str,
    status: str,
    title: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
    content: str = "",
) -> Agreement:
    """Register a cooperation agreement or activity plan of an office pair, with its period."""
    check_edit_pair(user, pair)
    if kind not in Agreement.Kind.values:
        raise ValidationError({"kind": "Ukjent avtaletype."})
    if status not in Agreement.Status.values:
        raise ValidationError({"status": "Ukjent status."})
    if not title.strip():
        raise ValidationError({"title": "Tittel mangler."})
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": "Sluttdato er før startdato."})
    obj = Agreement.objects.create(
        pair=pair,
        kind=kind,
        status=status,
        title=title.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        content=content,
        source=f"Registrert av {user.get_username()}",
        recorded_by=user,
    )
    do_record(user, "create", obj)
    return obj


@transaction.atomic
def do_add_wheel_item(
    user, agreement: Agreement, title: str, month: int | None = None, times_per_year: str = ""
) -> WheelItem:
    """Add a recurring activity to an agreement's or plan's annual wheel (årshjul)."""
    check_edit_pair(user, agreement.pair)
    if not title.strip():
        raise ValidationError({"title": "Tittel mangler."})
    if month is not None and not 1 <= month <= 12:
        raise ValidationError({"month": "Måned må være 1–12."})
    obj = WheelItem.objects.create(
        agreement=agreement,
        title=title.strip(),
        month=month,
        times_per_year=times_per_year,
        source=f"Registrert av {user.get_username()}",
    )
    do_record(user, "create", obj)
    return obj
