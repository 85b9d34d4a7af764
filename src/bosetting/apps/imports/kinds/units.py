"""Housing units ("boliger"), one row per unit code.

A large file is checked and written in bulk through the housing services (``prepare_units``,
``do_save_prepared_units``): the municipalities, the permissions and the known units are read once,
each row is validated in Python with the housing model's own rules, and the rows are written with
one insert and batched updates, each audited (note ``import FILE``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext_noop

from bosetting import clock
from bosetting.apps.geo.selectors import municipalities
from bosetting.apps.housing.selectors import may_write_housing
from bosetting.apps.housing.services import (
    PreparedUnit,
    UnitRow,
    do_save_prepared_unit,
    do_save_prepared_units,
    prepare_unit,
    prepare_units,
)
from bosetting.apps.imports import parsing as p
from bosetting.apps.imports.kinds.base import (
    Column,
    Kind,
    Planned,
    RowProblem,
    RowProgress,
    WriteFailed,
    message_of,
    problems_of,
)
from bosetting.reference.structure import structure_year_for

# Rows validated per call of ``prepare_units`` (progress is reported between calls).
CHECK_CHUNK = 2000

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
    label = gettext_noop("Boliger")
    key_fields = ("code",)
    columns = (
        Column(
            "code",
            ("kode", "boligkode", "code"),
            p.text(40),
            help=gettext_noop("Boligens unike kode."),
        ),
        Column(
            "municipality_number",
            ("kommunenummer", "knr", "municipality_number"),
            p.municipality_number,
            help=gettext_noop(
                "Fire sifre (kommunestrukturen for dagens år; 2014-strukturen før 2024)."
            ),
        ),
        Column(
            "kind",
            ("type", "boligtype", "kind"),
            p.choice(UNIT_KINDS),
            help=gettext_noop("kommunal, fremleie, selvfunnet eller bofellesskap."),
        ),
        Column(
            "bedrooms",
            ("soverom", "bedrooms"),
            p.integer(0, 20),
            help=gettext_noop("Antall soverom."),
        ),
        Column(
            "max_occupants",
            ("maks_personer", "max_occupants"),
            p.integer(1, 40),
            help=gettext_noop("Flest personer boligen tar."),
        ),
        Column(
            "beds",
            ("senger", "sengeplasser", "beds"),
            p.integer(1, 40),
            required=False,
            default=1,
            help=gettext_noop("Bofellesskap: enslige voksne den tar (ellers 1)."),
        ),
        Column("zone", ("sone", "zone"), p.text(40), help=gettext_noop("Nabolag/sone i kommunen.")),
        Column(
            "accessible",
            ("tilrettelagt", "accessible"),
            p.boolean,
            required=False,
            default=False,
            help=gettext_noop("ja/nei."),
        ),
        Column(
            "available_from",
            ("ledig_fra", "available_from"),
            p.a_date,
            required=False,
            help=gettext_noop("Tom: ikke meldt ledig."),
        ),
        Column(
            "rent_nok",
            ("husleie", "rent_nok"),
            p.integer(0),
            required=False,
            help=gettext_noop("Månedsleie i kroner."),
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
        return user is None or may_write_housing(user)

    @staticmethod
    def _not_allowed(number: str) -> RowProblem:
        return RowProblem(
            [("municipality_number", f"Du kan ikke registrere boliger i kommune {number}.")]
        )

    @staticmethod
    def _unknown(number: str) -> RowProblem:
        return RowProblem([("municipality_number", f"Ukjent kommunenummer {number}.")])

    def _fields(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            c.field: values[c.field]
            for c in self.columns
            if c.field not in ("code", "municipality_number")
        }

    @staticmethod
    def _problem(exc: Exception) -> RowProblem:
        if isinstance(exc, PermissionDenied):
            return RowProblem([("municipality_number", str(exc))])
        if isinstance(exc, ValidationError):
            if hasattr(exc, "error_dict") and "municipality" in exc.error_dict:
                return RowProblem(
                    [("municipality_number", m) for m in exc.message_dict["municipality"]]
                )
            return problems_of(exc, "code")
        raise exc  # pragma: no cover - prepare_units gives only these two

    def check(self, user, row, values, present) -> Planned:
        code, number = values["code"], values["municipality_number"]
        if user is not None and not may_write_housing(user, number):
            raise self._not_allowed(number)
        structure_year = structure_year_for(clock.today().year)
        muni = municipalities(structure_year).filter(number=number).first()
        if muni is None:
            raise self._unknown(number)
        fields = self._fields(values)
        try:
            prepared = prepare_unit(
                user,
                muni,
                code,
                {name: value for name, value in fields.items() if name in present},
                defaults=fields,
            )
        except (PermissionDenied, ValidationError) as exc:
            raise self._problem(exc) from None
        return Planned(row, code, prepared.change, prepared)

    def check_rows(self, user, rows, present, progress: RowProgress | None = None):
        """Every row in bulk: municipalities and permissions read once, the units through
        ``housing.services.prepare_units`` (the known ones read by code in bulk)."""
        structure_year = structure_year_for(clock.today().year)
        by_number = {m.number: m for m in municipalities(structure_year)}
        allowed: dict[str, bool] = {}
        outcome: dict[int, Planned | RowProblem] = {}
        pending: list[tuple[int, UnitRow]] = []
        for row, values in rows:
            number = values["municipality_number"]
            if user is not None:
                if number not in allowed:
                    allowed[number] = may_write_housing(user, number)
                if not allowed[number]:
                    outcome[row] = self._not_allowed(number)
                    continue
            muni = by_number.get(number)
            if muni is None:
                outcome[row] = self._unknown(number)
                continue
            fields = self._fields(values)
            changes = {name: value for name, value in fields.items() if name in present}
            pending.append((row, UnitRow(muni, values["code"], changes, defaults=fields)))
        refused = len(rows) - len(pending)
        for start in range(0, len(pending), CHECK_CHUNK):
            chunk = pending[start : start + CHECK_CHUNK]
            prepared = prepare_units(user, [item for _row, item in chunk])
            for (row, item), result in zip(chunk, prepared, strict=True):
                outcome[row] = (
                    Planned(row, item.code, result.change, result)
                    if isinstance(result, PreparedUnit)
                    else self._problem(result)
                )
            if progress is not None:
                progress(refused + start + len(chunk))
        return [(row, outcome[row]) for row, _values in rows]

    def write(self, user, planned, note) -> None:
        do_save_prepared_unit(user, planned.payload, note=note)

    def write_rows(self, user, planned, note, progress: RowProgress | None = None) -> None:
        """All rows at once (one insert, batched updates), each audited with ``import FILE rad N``."""
        try:
            do_save_prepared_units(
                user,
                [item.payload for item in planned],
                note=note,
                row_notes=[f"rad {item.row}" for item in planned],
            )
        except (ValidationError, PermissionDenied, DatabaseError) as exc:
            raise WriteFailed(0, message_of(exc)) from exc
        if progress is not None:
            progress(len(planned))
