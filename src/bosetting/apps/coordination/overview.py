"""The joint view of one municipality: what IMDi knows beside what Husbanken knows, both agencies'
regional offices and contacts, and the county governor — the view the report says municipalities
never get (L2966–2967, L3017–3022, L3338–3340).

Aggregates only: counts, never a household or a person. Readable by users whose scope covers the
municipality."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.models import Profile
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.coordination.models import JointReport, OfficePair, ProgrammeMembership
from bosetting.apps.coordination.selectors import (
    current_assessments,
    current_ladder,
    programmes,
)
from bosetting.apps.geo.models import Municipality, MunicipalityYearStat
from bosetting.apps.geo.selectors import offices_for_municipality

YEARS = (2012, 2013, 2014, 2015)
# County governors that took over IMDi's settlement role in the 2015–2016 pilot (L3160–3163, L3720–3722).
PILOT_COUNTIES = {"12": "Hordaland", "01": "Østfold"}


def can_view_overview(user, number: str) -> bool:
    scope = scope_for(user)
    return scope.aggregates and scope.covers(number)


def _contacts(**filters) -> list[dict]:
    rows = []
    for profile in (
        Profile.objects.filter(**filters).select_related("user").order_by("user__username")
    ):
        user = profile.user
        name = f"{user.first_name} {user.last_name}".strip() or user.username
        rows.append({"name": name, "email": user.email, "role": profile.get_role_display()})
    return rows


def _imdi_side(user, municipality: Municipality) -> dict:
    from bosetting.apps.cases.choices import CaseStatus
    from bosetting.apps.cases.models import Household
    from bosetting.apps.matching.models import Proposal
    from bosetting.apps.planning.models import ReportedSettlement
    from bosetting.apps.planning.selectors import decisions_for, requests_for

    years = []
    requests = dict(
        requests_for(user)
        .filter(municipality=municipality, year__in=YEARS)
        .values_list("year")
        .annotate(total=Sum("persons"))
    )
    decisions = dict(
        decisions_for(user)
        .filter(municipality=municipality, year__in=YEARS)
        .values_list("year")
        .annotate(total=Sum("persons"))
    )
    settled = dict(
        ReportedSettlement.objects.filter(municipality=municipality, year__in=YEARS).values_list(
            "year", "persons"
        )
    )
    for year in YEARS:
        years.append(
            {
                "year": year,
                "requested": requests.get(year),
                "decided": decisions.get(year),
                "settled": settled.get(year),
            }
        )
    statuses = dict(
        Household.objects.filter(municipality=municipality)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    waiting = sum(
        statuses.get(s, 0) for s in (CaseStatus.PROPOSED, CaseStatus.ACCEPTED, CaseStatus.PREPARING)
    )
    proposals = Proposal.objects.filter(municipality=municipality)
    declined = proposals.filter(status=Proposal.Status.DECLINED)
    reasons = [
        {"reason": str(dict(Proposal._meta.get_field("decline_reason").choices).get(r, r)), "n": n}
        for r, n in declined.values_list("decline_reason").annotate(n=Count("pk")).order_by("-n")
    ]
    return {
        "years": years,
        "households_by_status": [
            {"status": str(label), "code": code, "n": statuses.get(code, 0)}
            for code, label in CaseStatus.choices
            if statuses.get(code)
        ],
        "households_waiting": waiting,
        "households_settled": statuses.get(CaseStatus.SETTLED, 0)
        + statuses.get(CaseStatus.FOLLOW_UP, 0),
        "proposals_sent": proposals.exclude(status=Proposal.Status.DRAFT).count(),
        "proposals_declined": declined.count(),
        "decline_reasons": reasons,
    }


def _husbanken_side(user, municipality: Municipality, office_codes: list[str]) -> dict:
    from datetime import timedelta

    from bosetting import clock
    from bosetting.apps.cases.choices import CaseStatus
    from bosetting.apps.cases.models import Household
    from bosetting.apps.housing.choices import UnitKind
    from bosetting.apps.housing.models import HousingUnit
    from bosetting.apps.housing.selectors import available_within, gap_for

    units = HousingUnit.objects.filter(municipality=municipality)
    by_kind = dict(units.values_list("kind").annotate(n=Count("pk")))
    today = clock.today()
    available = available_within(units, today, today + timedelta(days=90)).count()
    needing = Household.objects.filter(
        municipality=municipality,
        status__in=(CaseStatus.PROPOSED, CaseStatus.ACCEPTED, CaseStatus.PREPARING),
        unit__isnull=True,
    ).count()
    gap_year = today.year
    try:
        gap = gap_for(user, f"municipality:{municipality.number}", gap_year)
        missing = {band: round(v) for band, v in gap.total.missing.items()}
    except (PermissionDenied, ValueError):  # outside the housing scope, or no data for the year
        missing = None
    named = list(
        ProgrammeMembership.objects.filter(municipality=municipality).select_related(
            "programme", "programme__office"
        )
    )
    return {
        "units_total": units.count(),
        "units_by_kind": [
            {"kind": str(label), "n": by_kind.get(code, 0)}
            for code, label in UnitKind.choices
            if by_kind.get(code)
        ],
        "units_available": available,
        "units_available_window": f"{today:%Y-%m-%d} + 90 dager",
        "households_without_unit": needing,
        "housing_gap": sum(missing.values()) if missing else max(needing - available, 0),
        "housing_gap_by_size": missing,
        "housing_gap_year": gap_year,
        "units_synthetic": units.filter(synthetic=True).exists(),
        "memberships": [
            {
                "programme": m.programme.name,
                "office": m.programme.office.name,
                "agency": m.programme.office.agency,
                "synthetic": m.synthetic,
                "source": m.source,
            }
            for m in named
        ],
        "regional_programmes": [
            {
                "name": p.name,
                "office": p.office.name,
                "agency": p.office.agency,
                "count": p.municipality_count,
                "count_text": p.count_text,
                "source": p.source,
                "members_named": len(p.member_rows),
            }
            for p in programmes(office_codes)
        ],
    }


def municipality_overview(user, number: str) -> dict:
    """Both agencies' knowledge of one municipality (2014 structure). Raises ``PermissionDenied``
    when the municipality is outside the user's scope and ``Municipality.DoesNotExist`` if unknown."""
    municipality = Municipality.objects.select_related("county").get(
        structure_year=2014, number=number
    )
    if not can_view_overview(user, number):
        raise PermissionDenied("Kommunen er utenfor ditt område.")
    offices = offices_for_municipality(municipality)
    imdi, hb = offices.get("imdi"), offices.get("husbanken")
    stat = (
        MunicipalityYearStat.objects.filter(municipality=municipality, population__isnull=False)
        .order_by("-year")
        .first()
    )
    pair = (
        OfficePair.objects.filter(imdi_office=imdi, husbanken_office=hb).first()
        if imdi and hb
        else None
    )
    county = municipality.county
    reports = list(JointReport.objects.filter(municipality=municipality).order_by("-year")[:3])
    return {
        "municipality": municipality,
        "population": stat.population if stat else None,
        "population_year": stat.year if stat else None,
        "offices": {
            "imdi": imdi,
            "husbanken": hb,
            "imdi_contacts": _contacts(office=imdi) if imdi else [],
            "husbanken_contacts": _contacts(office=hb) if hb else [],
        },
        "county_governor": {
            "county": county,
            "contacts": _contacts(role=Role.COUNTY_GOVERNOR, county=county),
            "pilot": county.number in PILOT_COUNTIES,
            "pilot_note": "Fylkesmannen overtar IMDis rolle i bosettingen 2015–2016 (forsøk, "
            "Fafo 2015 L3160–3163)"
            if county.number in PILOT_COUNTIES
            else "",
        },
        "pair": pair,
        "pair_assessments": current_assessments(pair) if pair else {},
        "pair_ladder": current_ladder(pair) if pair else None,
        "maps_aligned": _aligned(municipality, imdi, hb),
        "imdi": _imdi_side(user, municipality),
        "husbanken": _husbanken_side(
            user, municipality, [o.code for o in (imdi, hb) if o is not None]
        ),
        "joint_reports": reports,
    }


def _aligned(municipality: Municipality, imdi, hb) -> bool:
    from bosetting.apps.coordination.selectors import county_offices

    for row in county_offices():
        if row["county"].number == municipality.county.number:
            return row["aligned"]
    return imdi is not None and hb is not None


def overview_json(data: dict) -> dict:
    """The overview as plain JSON (for the API)."""

    def office(o):
        return {"code": o.code, "name": o.name, "city": o.city} if o else None

    pair = data["pair"]
    return {
        "municipality": {
            "number": data["municipality"].number,
            "name": data["municipality"].name,
            "county_number": data["municipality"].county.number,
            "county_name": data["municipality"].county.name,
            "population": data["population"],
            "population_year": data["population_year"],
        },
        "offices": {
            "imdi": office(data["offices"]["imdi"]),
            "husbanken": office(data["offices"]["husbanken"]),
            "imdi_contacts": data["offices"]["imdi_contacts"],
            "husbanken_contacts": data["offices"]["husbanken_contacts"],
            "maps_aligned": data["maps_aligned"],
        },
        "county_governor": {
            "county": data["county_governor"]["county"].name,
            "contacts": data["county_governor"]["contacts"],
            "pilot": data["county_governor"]["pilot"],
            "pilot_note": data["county_governor"]["pilot_note"],
        },
        "coordination": {
            "pair": str(pair) if pair else None,
            "forms": {
                form: {"value": a.label, "present": a.present, "degree": a.degree or None}
                for form, a in data["pair_assessments"].items()
            },
            "ladder_level": data["pair_ladder"].level if data["pair_ladder"] else None,
        },
        "imdi": data["imdi"],
        "husbanken": data["husbanken"],
        "joint_reports": [
            {
                "year": r.year,
                **{
                    f: getattr(r, f)
                    for f in (
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
                },
            }
            for r in data["joint_reports"]
        ],
    }
