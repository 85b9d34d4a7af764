"""Housing units ("boliger"), one row per unit code."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from bosetting import clock
from bosetting.apps.geo.selectors import municipalities
from bosetting.apps.housing.selectors import may_write_housing
from bosetting.apps.housing.services import do_save_prepared_unit, prepare_unit
from bosetting.apps.imports import parsing as p
from bosetting.apps.imports.kinds.base import Column, Kind, Planned, RowProblem, problems_of
from bosetting.reference.structure import structure_year_for

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
            help="Fire sifre (kommunestrukturen for dagens år; 2014-strukturen før 2024).",
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
        return user is None or may_write_housing(user)

    def check(self, user, row, values, present) -> Planned:
        code, number = values["code"], values["municipality_number"]
        if user is not None and not may_write_housing(user, number):
            raise RowProblem(
                [("municipality_number", f"Du kan ikke registrere boliger i kommune {number}.")]
            )
        structure_year = structure_year_for(clock.today().year)
        muni = municipalities(structure_year).filter(number=number).first()
        if muni is None:
            raise RowProblem([("municipality_number", f"Ukjent kommunenummer {number}.")])
        fields = {
            c.field: values[c.field]
            for c in self.columns
            if c.field not in ("code", "municipality_number")
        }
        try:
            prepared = prepare_unit(
                user,
                muni,
                code,
                {name: value for name, value in fields.items() if name in present},
                defaults=fields,
            )
        except PermissionDenied as exc:
            raise RowProblem([("municipality_number", str(exc))]) from None
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "municipality" in exc.error_dict:
                raise RowProblem(
                    [("municipality_number", m) for m in exc.message_dict["municipality"]]
                ) from None
            raise problems_of(exc, "code") from None
        return Planned(row, code, prepared.change, prepared)

    def write(self, user, planned, note) -> None:
        do_save_prepared_unit(user, planned.payload, note=note)
