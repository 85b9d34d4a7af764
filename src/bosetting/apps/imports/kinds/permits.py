"""Permit notifications ("vedtak om opphold"), one row per case reference; households are created
through ``lifecycle.services.do_register_permit``."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils.translation import gettext_noop

from bosetting import clock
from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.cases.choices import FIRST_PERMIT_DATE, MAX_HOUSEHOLD_PERSONS
from bosetting.apps.cases.selectors import (
    RegisteredPermit,
    household_ids_by_reference,
    registered_permit,
)
from bosetting.apps.geo.selectors import municipality_ids_by_number, reception_centre_named
from bosetting.apps.imports import parsing as p
from bosetting.apps.imports.kinds.base import (
    PROGRESS_EVERY,
    Column,
    Kind,
    Planned,
    RowProblem,
    RowProgress,
)
from bosetting.apps.lifecycle.services import do_register_permit
from bosetting.reference.structure import structure_year_for

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
# References looked up per query when many rows are checked.
REFERENCES_PER_QUERY = 2000


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
    label = gettext_noop("Vedtak om opphold (nye saker)")
    key_fields = ("reference",)
    columns = (
        Column(
            "reference",
            ("saksreferanse", "referanse", "reference"),
            p.text(20),
            help=gettext_noop("Sakens referanse (unik)."),
        ),
        Column(
            "permit_date",
            ("vedtaksdato", "oppholdsdato", "permit_date"),
            p.a_date,
            help=gettext_noop("Dato for vedtak om opphold."),
        ),
        Column(
            "case_opened",
            ("saksopprettet", "case_opened"),
            p.a_date,
            required=False,
            help=gettext_noop("Dato saken ble opprettet (asylsøknad)."),
        ),
        Column(
            "persons",
            ("personer", "persons"),
            persons,
            help=gettext_noop(
                "Fødselsår og kjønn per person, hovedperson først: «1985m 1987k 2012»."
            ),
        ),
        Column(
            "reception_centre_name",
            ("mottak", "reception_centre"),
            p.text(150),
            required=False,
            help=gettext_noop("Mottakets navn slik det er registrert."),
        ),
        Column(
            "needs",
            ("behov", "needs"),
            needs,
            required=False,
            default=[],
            help=gettext_noop("tilrettelagt, helse, funksjonsnedsettelse."),
        ),
        Column(
            "ties",
            ("tilknytning", "ties"),
            municipality_list,
            required=False,
            default=[],
            help=gettext_noop("Kommunenumre med familie/nettverk."),
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
        ("U2015-000101", "2014-12-12", "2014-03-02", "1985m 1987k 2012m 2014k", "", "", "1201"),
        ("U2015-000102", "2014-12-14", "2014-05-20", "1996m", "", "", ""),
        ("U2015-000103", "15.12.2014", "2014-06-11", "2000k", "", "helse", ""),
        ("U2015-000104", "2014-12-20", "", "1979k 2008m 2011k", "", "tilrettelagt", "0301 1201"),
    )

    def may_import(self, user) -> bool:
        return user is None or scope_for(user).role in (Role.IMDI_NATIONAL, Role.IMDI_REGIONAL)

    def check(self, user, row, values, present) -> Planned:
        permit: date = values["permit_date"]
        ties = values["ties"] or []
        year = structure_year_for(permit.year)
        centre = values["reception_centre_name"]
        return self._check(
            row,
            values,
            known_ties=set(municipality_ids_by_number(ties, year)),
            centre_known=not centre or reception_centre_named(centre) is not None,
            maybe_registered=True,
        )

    def check_rows(self, user, rows, present, progress: RowProgress | None = None):
        """The references already registered, the reception centres and the municipalities of
        the ties are read at once; only a reference that exists is read in full."""
        references = [values["reference"] for _row, values in rows]
        registered: set[str] = set()
        for start in range(0, len(references), REFERENCES_PER_QUERY):
            chunk = references[start : start + REFERENCES_PER_QUERY]
            registered |= set(household_ids_by_reference(chunk))
        ties_by_year: dict[int, set[str]] = {}
        centres: dict[str, bool] = {}
        for _row, values in rows:
            year = structure_year_for(values["permit_date"].year)
            ties_by_year.setdefault(year, set()).update(values["ties"] or [])
            centre = values["reception_centre_name"]
            if centre and centre not in centres:
                centres[centre] = reception_centre_named(centre) is not None
        known_ties = {
            year: set(municipality_ids_by_number(numbers, year))
            for year, numbers in ties_by_year.items()
        }
        result: list[tuple[int, Planned | RowProblem]] = []
        for done, (row, values) in enumerate(rows, start=1):
            centre = values["reception_centre_name"]
            try:
                planned = self._check(
                    row,
                    values,
                    known_ties=known_ties[structure_year_for(values["permit_date"].year)],
                    centre_known=not centre or centres[centre],
                    maybe_registered=values["reference"] in registered,
                )
                result.append((row, planned))
            except RowProblem as problem:
                result.append((row, problem))
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done)
        return result

    def _check(
        self, row, values, *, known_ties: set[str], centre_known: bool, maybe_registered: bool
    ) -> Planned:
        problems = []
        permit: date = values["permit_date"]
        opened = values["case_opened"]
        if opened is not None and opened > permit:
            problems.append(("case_opened", "Saken kan ikke være opprettet etter vedtaksdatoen."))
        if permit > clock.today():
            problems.append(("permit_date", "Vedtaksdatoen kan ikke være etter dagens dato."))
        elif permit < FIRST_PERMIT_DATE:
            problems.append(
                ("permit_date", f"Vedtaksdatoen kan ikke være før {FIRST_PERMIT_DATE}.")
            )
        if len(values["persons"]) > MAX_HOUSEHOLD_PERSONS:
            problems.append(
                ("persons", f"En husholdning kan ha høyst {MAX_HOUSEHOLD_PERSONS} personer.")
            )
        for person in values["persons"]:
            if not 1900 <= person["birth_year"] <= permit.year:
                problems.append(("persons", f"Fødselsåret {person['birth_year']} er ikke mulig."))
        centre = values["reception_centre_name"]
        if not centre_known:
            problems.append(("reception_centre_name", f"Ukjent mottak «{centre}»."))
        for number in values["ties"] or []:
            if number not in known_ties:
                problems.append(("ties", f"Ukjent kommunenummer {number}."))
        if problems:
            raise RowProblem(problems)
        existing = registered_permit(values["reference"]) if maybe_registered else None
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
    def _same(registered: RegisteredPermit, values) -> bool:
        wanted = [(d["birth_year"], d["sex"], i == 0) for i, d in enumerate(values["persons"])]
        return (
            registered.permit_date == values["permit_date"]
            and registered.case_opened == values["case_opened"]
            and sorted(registered.persons) == sorted(wanted)
        )

    def write(self, user, planned, note) -> None:
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
