"""The three import formats: columns, how a row is checked, and how it is written.

Every row passes the same validation as the web forms (``full_clean()`` on the model, through the
planning services for decisions), so rules added to the models apply to imports too. A row is
checked against the database as it is; nothing is written here until ``write``.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from bosetting.apps.audit.services import do_record, snapshot
from bosetting.apps.imports import parsing as p


@dataclass(frozen=True)
class Column:
    """A column: the model field it fills, the headers accepted (the first is the documented bokmål
    one), how a cell is read, whether it must be filled, and its meaning for docs and the web page."""

    field: str
    headers: tuple[str, ...]
    parse: p.Parser
    required: bool = True
    default: Any = None
    help: str = ""

    @property
    def header(self) -> str:
        return self.headers[0]


class RowProblem(Exception):
    """One or more errors of a row: ``[(field, message)]``."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__(problems)


@dataclass
class Planned:
    """A checked row: its natural key, what will happen (create/update/unchanged) and the payload."""

    row: int
    key: str
    change: str
    payload: Any


def _problems(exc: ValidationError, default_field: str) -> RowProblem:
    if hasattr(exc, "error_dict"):
        items = [
            (default_field if f in ("__all__", "municipality") else f, m)
            for f, ms in exc.message_dict.items()
            for m in ms
        ]
    else:
        items = [(default_field, m) for m in exc.messages]
    return RowProblem(items)


def _change(before: dict | None, obj) -> str:
    if before is None:
        return "create"
    return "unchanged" if snapshot(obj) == before else "update"


class Kind(ABC):
    """One import format."""

    name: str
    label: str
    columns: tuple[Column, ...]
    key_fields: tuple[str, ...]
    ignored_headers: tuple[str, ...] = ("kommunenavn", "kommune", "municipality_name", "navn")
    sample: tuple[tuple[str, ...], ...] = ()

    @abstractmethod
    def may_import(self, user) -> bool:
        """Whether the user may import this kind at all (rows are checked one by one as well)."""

    def key_of(self, values: dict[str, Any]) -> str:
        return " ".join(str(values[f]) for f in self.key_fields)

    @abstractmethod
    def check(self, user, row: int, values: dict[str, Any], present: set[str]) -> Planned:
        """Validate a parsed row against the database; ``RowProblem`` lists what is wrong."""

    @abstractmethod
    def write(self, user, planned: Planned, note: str) -> None:
        """Write a checked row (created or changed) and audit it."""


# --- council decisions -----------------------------------------------------------------------------


class Decisions(Kind):
    """Council decisions ("vedtak"), one row per municipality and year."""

    name = "decisions"
    label = "Vedtak om bosetting"
    key_fields = ("municipality_number", "year")
    columns = (
        Column(
            "municipality_number",
            ("kommunenummer", "knr", "municipality_number"),
            p.municipality_number,
            help="Fire sifre, kommunestrukturen for året (2014-strukturen før 2024).",
        ),
        Column(
            "year",
            ("år", "aar", "ar", "year"),
            p.integer(1990, 2100),
            help="Året vedtaket gjelder.",
        ),
        Column(
            "persons",
            ("antall", "personer", "vedtak", "persons"),
            p.integer(0),
            help="Personer kommunen vil bosette det året (0 = bosetter ikke).",
        ),
        Column(
            "uam_persons",
            ("enslige_mindreårige", "ema", "uam_persons"),
            p.integer(0),
            required=False,
            default=0,
            help="Av disse enslige mindreårige.",
        ),
        Column(
            "decided_on",
            ("vedtaksdato", "decided_on"),
            p.a_date,
            required=False,
            help="Dato for kommunestyrets vedtak.",
        ),
        Column(
            "period_start",
            ("periode_fra", "period_start"),
            p.integer(1990, 2100),
            required=False,
            help="Første år i et flerårig vedtak (tom: året selv).",
        ),
        Column(
            "period_years",
            ("periode_år", "periode_aar", "period_years"),
            p.integer(1, 3),
            required=False,
            default=1,
            help="1 eller 3.",
        ),
        Column(
            "note", ("merknad", "note"), p.text(2000), required=False, default="", help="Fritekst."
        ),
    )
    sample = (
        (
            "kommunenummer",
            "år",
            "antall",
            "enslige_mindreårige",
            "vedtaksdato",
            "periode_fra",
            "periode_år",
            "merknad",
        ),
        ("1201", "2016", "350", "20", "2015-06-16", "2016", "3", "Treårig vedtak 2016–2018"),
        ("1201", "2017", "350", "20", "2015-06-16", "2016", "3", ""),
        ("1201", "2018", "350", "20", "2015-06-16", "2016", "3", ""),
        ("1247", "2016", "25", "0", "19.05.2015", "", "", ""),
        ("0301", "2016", "0", "0", "2015-06-17", "", "", "Bosetter ikke"),
    )

    def may_import(self, user) -> bool:
        from bosetting.apps.planning.services import may_register_any_decision

        return may_register_any_decision(user)

    def check(self, user, row, values, present) -> Planned:
        from bosetting.apps.planning.models import CouncilDecision
        from bosetting.apps.planning.services import (
            can_register_decision,
            prepare_decision,
            structure_year_for,
        )

        number, year = values["municipality_number"], values["year"]
        if not can_register_decision(user, number):
            raise RowProblem(
                [("municipality_number", f"Du kan ikke registrere vedtak for kommune {number}.")]
            )
        existing = CouncilDecision.objects.filter(
            municipality__number=number,
            municipality__structure_year=structure_year_for(year),
            year=year,
        ).first()
        fields = {}
        for column in self.columns:
            if column.field in ("municipality_number", "year"):
                continue
            if column.field in present or existing is None:
                fields[column.field] = values[column.field]
            else:  # a column the file leaves out keeps the registered value
                fields[column.field] = getattr(existing, column.field)
        try:
            prepared = prepare_decision(
                municipality_number=number, year=year, provenance="imported", **fields
            )
        except ValidationError as exc:
            raise _problems(exc, "municipality_number") from None
        return Planned(row, self.key_of(values), prepared.change, prepared)

    def write(self, user, planned, note) -> None:
        from bosetting.apps.planning.services import save_prepared

        save_prepared(user, planned.payload, note=note)


# --- housing units ---------------------------------------------------------------------------------

UNIT_KINDS = {
    "municipal": "municipal",
    "kommunal": "municipal",
    "kommunal_bolig": "municipal",
    "private_sublet": "private_sublet",
    "fremleie": "private_sublet",
    "privat_fremleid": "private_sublet",
    "private_self": "private_self",
    "selvfunnet": "private_self",
    "privat_selvfunnet": "private_self",
    "shared": "shared",
    "bofellesskap": "shared",
}


class Units(Kind):
    """Housing units ("boliger"), one row per unit code."""

    name = "units"
    label = "Boliger"
    key_fields = ("code",)
    columns = (
        Column("code", ("kode", "boligkode", "code"), p.text(40), help="Boligens unike kode."),
        Column(
            "municipality_number",
            ("kommunenummer", "knr", "municipality_number"),
            p.municipality_number,
            help="Fire sifre (2014-strukturen).",
        ),
        Column(
            "kind",
            ("type", "boligtype", "kind"),
            p.choice(UNIT_KINDS),
            help="kommunal, fremleie, selvfunnet eller bofellesskap.",
        ),
        Column("bedrooms", ("soverom", "bedrooms"), p.integer(0, 20), help="Antall soverom."),
        Column(
            "max_occupants",
            ("maks_personer", "max_occupants"),
            p.integer(1, 40),
            help="Flest personer boligen tar.",
        ),
        Column(
            "beds",
            ("senger", "sengeplasser", "beds"),
            p.integer(1, 40),
            required=False,
            default=1,
            help="Bofellesskap: enslige voksne den tar (ellers 1).",
        ),
        Column("zone", ("sone", "zone"), p.text(40), help="Nabolag/sone i kommunen."),
        Column(
            "accessible",
            ("tilrettelagt", "accessible"),
            p.boolean,
            required=False,
            default=False,
            help="ja/nei.",
        ),
        Column(
            "available_from",
            ("ledig_fra", "available_from"),
            p.a_date,
            required=False,
            help="Tom: ikke meldt ledig.",
        ),
        Column(
            "rent_nok",
            ("husleie", "rent_nok"),
            p.integer(0),
            required=False,
            help="Månedsleie i kroner.",
        ),
    )
    sample = (
        (
            "kode",
            "kommunenummer",
            "type",
            "soverom",
            "maks_personer",
            "senger",
            "sone",
            "tilrettelagt",
            "ledig_fra",
            "husleie",
        ),
        ("BGO-K-0001", "1201", "kommunal", "2", "4", "1", "Årstad", "nei", "2015-02-01", "9500"),
        ("BGO-K-0002", "1201", "kommunal", "3", "5", "1", "Fana", "ja", "01.03.2015", "11500"),
        (
            "BGO-B-0001",
            "1201",
            "bofellesskap",
            "4",
            "4",
            "4",
            "Sentrum",
            "nei",
            "2015-01-15",
            "5200",
        ),
        ("ASK-P-0001", "1247", "fremleie", "1", "2", "", "Kleppestø", "nei", "", "7800"),
    )

    def may_import(self, user) -> bool:
        from bosetting.apps.housing.permissions import may_write_housing

        return user is None or may_write_housing(user)

    def check(self, user, row, values, present) -> Planned:
        from bosetting.apps.geo.models import Municipality
        from bosetting.apps.housing.models import HousingUnit
        from bosetting.apps.housing.permissions import may_write_housing

        code, number = values["code"], values["municipality_number"]
        if user is not None and not may_write_housing(user, number):
            raise RowProblem(
                [("municipality_number", f"Du kan ikke registrere boliger i kommune {number}.")]
            )
        muni = Municipality.objects.filter(structure_year=2014, number=number).first()
        if muni is None:
            raise RowProblem([("municipality_number", f"Ukjent kommunenummer {number}.")])
        existing = HousingUnit.objects.select_related("municipality").filter(code=code).first()
        if existing is not None and existing.municipality_id != muni.pk:
            raise RowProblem(
                [
                    (
                        "municipality_number",
                        f"Boligen {code} er registrert i kommune {existing.municipality.number}; "
                        "en bolig kan ikke flytte til en annen kommune.",
                    )
                ]
            )
        unit = existing or HousingUnit(code=code, municipality=muni)
        before = snapshot(existing) if existing is not None else None
        for column in self.columns:
            if column.field in ("code", "municipality_number"):
                continue
            if column.field in present or existing is None:
                setattr(unit, column.field, values[column.field])
        try:
            unit.full_clean()
        except ValidationError as exc:
            raise _problems(exc, "code") from None
        return Planned(row, code, _change(before, unit), (unit, before))

    def write(self, user, planned, note) -> None:
        unit, before = planned.payload
        unit.save()
        do_record(user, planned.change, unit, before, note=note)


# --- permit notifications --------------------------------------------------------------------------

NEEDS = {
    "accessible": "accessible",
    "tilrettelagt": "accessible",
    "rullestol": "accessible",
    "health_high": "health_high",
    "helse": "health_high",
    "disability": "disability",
    "funksjonsnedsettelse": "disability",
}
SEXES = {"m": "m", "k": "f", "f": "f", "u": "u", "": "u"}


def persons(value: Any) -> list[dict]:
    """``1985m 1987k 2012`` -> three persons (birth year and sex m/k/u); the first is the principal."""
    result = []
    for token in p.tokens(value):
        match = re.fullmatch(r"(\d{4})([a-zA-Z]?)", token)
        if match is None or match.group(2).lower() not in SEXES:
            raise p.CellError(
                f"Ukjent person «{token}»; skriv fødselsår og kjønn (m/k/u), f.eks. «1985m 2012k»."
            )
        result.append({"birth_year": int(match.group(1)), "sex": SEXES[match.group(2).lower()]})
    if not result:
        raise p.CellError("En husholdning må ha minst én person.")
    return result


def needs(value: Any) -> list[str]:
    parse = p.choice(NEEDS)
    return sorted({parse(t) for t in p.tokens(value)})


def municipality_list(value: Any) -> list[str]:
    return [p.municipality_number(t) for t in p.tokens(value)]


class Permits(Kind):
    """Permit notifications ("vedtak om opphold" meldt fra UDI), one row per case reference."""

    name = "permits"
    label = "Vedtak om opphold (nye saker)"
    key_fields = ("reference",)
    columns = (
        Column(
            "reference",
            ("saksreferanse", "referanse", "reference"),
            p.text(20),
            help="Sakens referanse (unik).",
        ),
        Column(
            "permit_date",
            ("vedtaksdato", "oppholdsdato", "permit_date"),
            p.a_date,
            help="Dato for vedtak om opphold.",
        ),
        Column(
            "case_opened",
            ("saksopprettet", "case_opened"),
            p.a_date,
            required=False,
            help="Dato saken ble opprettet (asylsøknad).",
        ),
        Column(
            "persons",
            ("personer", "persons"),
            persons,
            help="Fødselsår og kjønn per person, hovedperson først: «1985m 1987k 2012».",
        ),
        Column(
            "reception_centre_name",
            ("mottak", "reception_centre"),
            p.text(150),
            required=False,
            help="Mottakets navn slik det er registrert.",
        ),
        Column(
            "needs",
            ("behov", "needs"),
            needs,
            required=False,
            default=[],
            help="tilrettelagt, helse, funksjonsnedsettelse.",
        ),
        Column(
            "ties",
            ("tilknytning", "ties"),
            municipality_list,
            required=False,
            default=[],
            help="Kommunenumre med familie/nettverk.",
        ),
    )
    sample = (
        (
            "saksreferanse",
            "vedtaksdato",
            "saksopprettet",
            "personer",
            "mottak",
            "behov",
            "tilknytning",
        ),
        ("U2015-000101", "2015-01-12", "2014-03-02", "1985m 1987k 2012m 2014k", "", "", "1201"),
        ("U2015-000102", "2015-01-14", "2014-05-20", "1996m", "", "", ""),
        ("U2015-000103", "15.01.2015", "2014-06-11", "2000k", "", "helse", ""),
        ("U2015-000104", "2015-01-20", "", "1979k 2008m 2011k", "", "tilrettelagt", "0301 1201"),
    )

    def may_import(self, user) -> bool:
        from bosetting.apps.accounts.models import Role
        from bosetting.apps.accounts.selectors import scope_for

        return user is None or scope_for(user).role in (Role.IMDI_NATIONAL, Role.IMDI_REGIONAL)

    def check(self, user, row, values, present) -> Planned:
        from bosetting.apps.cases.models import Household
        from bosetting.apps.geo.models import Municipality, ReceptionCentre

        problems = []
        permit: date = values["permit_date"]
        opened = values["case_opened"]
        if opened is not None and opened > permit:
            problems.append(("case_opened", "Saken kan ikke være opprettet etter vedtaksdatoen."))
        for person in values["persons"]:
            if not 1900 <= person["birth_year"] <= permit.year:
                problems.append(("persons", f"Fødselsåret {person['birth_year']} er ikke mulig."))
        centre = values["reception_centre_name"]
        if centre and not ReceptionCentre.objects.filter(name=centre).exists():
            problems.append(("reception_centre_name", f"Ukjent mottak «{centre}»."))
        ties = values["ties"] or []
        known = set(
            Municipality.objects.filter(structure_year=2014, number__in=ties).values_list(
                "number", flat=True
            )
        )
        for number in ties:
            if number not in known:
                problems.append(("ties", f"Ukjent kommunenummer {number}."))
        if problems:
            raise RowProblem(problems)
        existing = Household.objects.filter(reference=values["reference"]).first()
        if existing is None:
            return Planned(row, values["reference"], "create", values)
        if self._same(existing, values):
            return Planned(row, values["reference"], "unchanged", values)
        raise RowProblem(
            [
                (
                    "reference",
                    f"Saken {values['reference']} finnes allerede med andre opplysninger; "
                    "endringer gjøres i saksbehandlingen.",
                )
            ]
        )

    @staticmethod
    def _same(household, values) -> bool:
        people = [(q.birth_year, q.sex, q.is_principal) for q in household.persons.all()]
        wanted = [(d["birth_year"], d["sex"], i == 0) for i, d in enumerate(values["persons"])]
        return (
            household.permit_date == values["permit_date"]
            and household.case_opened == values["case_opened"]
            and sorted(people) == sorted(wanted)
        )

    def write(self, user, planned, note) -> None:
        from bosetting.apps.cases.services import do_register_permit

        values = planned.payload
        do_register_permit(
            user,
            reference=values["reference"],
            permit_date=values["permit_date"],
            case_opened=values["case_opened"],
            persons=values["persons"],
            reception_centre_name=values["reception_centre_name"] or None,
            needs=values["needs"] or (),
            ties=values["ties"] or (),
        )


KINDS: dict[str, Kind] = {k.name: k for k in (Decisions(), Units(), Permits())}
