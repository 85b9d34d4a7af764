"""Council decisions ("vedtak"), one row per municipality and year."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from bosetting.apps.imports import parsing as p
from bosetting.apps.imports.kinds.base import (
    PROGRESS_EVERY,
    Column,
    Kind,
    Planned,
    RowProblem,
    RowProgress,
    problems_of,
)
from bosetting.apps.planning.selectors import decisions_in_year
from bosetting.apps.planning.services import (
    can_register_decision,
    decision_numbers_for,
    may_register_any_decision,
    municipality_for,
    prepare_decision,
    save_prepared,
)


class Decisions(Kind):
    """Council decisions ("vedtak"), one row per municipality and year."""

    name = "decisions"
    label = gettext_noop("Vedtak om bosetting")
    key_fields = ("municipality_number", "year")
    columns = (
        Column(
            "municipality_number",
            ("kommunenummer", "knr", "municipality_number"),
            p.municipality_number,
            help=gettext_noop("Fire sifre, kommunestrukturen for året (2014-strukturen før 2024)."),
        ),
        Column(
            "year",
            ("år", "aar", "ar", "year"),
            p.integer(1990, 2100),
            help=gettext_noop("Året vedtaket gjelder."),
        ),
        Column(
            "persons",
            ("antall", "personer", "vedtak", "persons"),
            p.integer(0),
            help=gettext_noop("Personer kommunen vil bosette det året (0 = bosetter ikke)."),
        ),
        Column(
            "uam_persons",
            ("enslige_mindreårige", "ema", "uam_persons"),
            p.integer(0),
            required=False,
            default=0,
            help=gettext_noop("Av disse enslige mindreårige."),
        ),
        Column(
            "decided_on",
            ("vedtaksdato", "decided_on"),
            p.a_date,
            required=False,
            help=gettext_noop("Dato for kommunestyrets vedtak."),
        ),
        Column(
            "period_start",
            ("periode_fra", "period_start"),
            p.integer(1990, 2100),
            required=False,
            help=gettext_noop("Første år i et flerårig vedtak (tom: året selv)."),
        ),
        Column(
            "period_years",
            ("periode_år", "periode_aar", "period_years"),
            p.integer(1, 3),
            required=False,
            default=1,
            help=gettext_noop("1 eller 3."),
        ),
        Column(
            "note",
            ("merknad", "note"),
            p.text(2000),
            required=False,
            default="",
            help=gettext_noop("Fritekst."),
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
        return may_register_any_decision(user)

    def check(self, user, row, values, present) -> Planned:
        number, year = values["municipality_number"], values["year"]
        return self._check(
            user,
            row,
            values,
            present,
            allowed=can_register_decision(user, number),
            existing=decisions_in_year(year, [number]).first(),
        )

    def check_rows(self, user, rows, present, progress: RowProgress | None = None):
        """The permissions (one scope lookup) and the registered decisions (one query per year)
        are read at once; each row is then prepared by the planning service."""
        numbers = sorted({values["municipality_number"] for _row, values in rows})
        allowed = decision_numbers_for(user, numbers)
        existing: dict[tuple[str, int], Any] = {}
        for year in sorted({values["year"] for _row, values in rows}):
            for decision in decisions_in_year(year, numbers):
                existing[(decision.municipality.number, year)] = decision
        result: list[tuple[int, Planned | RowProblem]] = []
        for done, (row, values) in enumerate(rows, start=1):
            number, year = values["municipality_number"], values["year"]
            try:
                result.append(
                    (
                        row,
                        self._check(
                            user,
                            row,
                            values,
                            present,
                            allowed=number in allowed,
                            existing=existing.get((number, year)),
                        ),
                    )
                )
            except RowProblem as problem:
                result.append((row, problem))
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done)
        return result

    def _check(self, user, row, values, present, *, allowed: bool, existing) -> Planned:
        number, year = values["municipality_number"], values["year"]
        try:
            municipality_for(number, year)
        except ValidationError as exc:
            raise problems_of(exc, "municipality_number") from None
        if not allowed:
            raise RowProblem(
                [("municipality_number", f"Du kan ikke registrere vedtak for kommune {number}.")]
            )
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
            raise problems_of(exc, "municipality_number") from None
        return Planned(row, self.key_of(values), prepared.change, prepared)

    def write(self, user, planned, note) -> None:
        save_prepared(user, planned.payload, note=note)
