"""A synthetic world big enough that a matching round runs for several seconds (crash tests).

The engine's instance generator (``engine.matching.generate``, seeded) gives realistic households,
units and decided capacity; they are written to the database on the real 2014 municipalities, so a
round builds its instance from the database as in production. Everything is synthetic.

Run as a program on the database the environment names (``BOSETTING_VAR_DIR`` or
``DATABASE_URL``): it migrates, loads the reference data and writes the world::

    python -m tests.apps.jobs.big_world [households municipalities units]
"""

from __future__ import annotations

import sys
from datetime import date, timedelta

AS_OF = date(2015, 1, 5)
SIZE = (3000, 60, 2500)  # households, municipalities, units: about 6 s in the solver on 2 cores


def build(households: int, municipalities: int, units: int, seed: int = 7) -> dict[str, int]:
    """Write the world (reference data must be loaded); returns what was written."""
    from django.db import transaction

    from bosetting.apps.cases.choices import CaseStatus, HouseholdType
    from bosetting.apps.cases.models import Household, Person
    from bosetting.apps.geo.models import Municipality
    from bosetting.apps.housing.models import HousingUnit
    from bosetting.apps.planning.models import CouncilDecision
    from bosetting.engine.matching.generate import generate_instance

    data = generate_instance(seed, households, municipalities, units, as_of=AS_OF)
    real = list(Municipality.objects.filter(structure_year=2014).order_by("number"))
    muni = {m["id"]: real[i] for i, m in enumerate(data["municipalities"])}
    with transaction.atomic():
        CouncilDecision.objects.bulk_create(
            CouncilDecision(
                municipality=muni[m["id"]],
                year=AS_OF.year,
                persons=m["capacity_persons"],
                uam_persons=m["capacity_uam"],
            )
            for m in data["municipalities"]
        )
        HousingUnit.objects.bulk_create(
            (
                HousingUnit(
                    municipality=muni[u["municipality"]],
                    code=f"big-{u['id']}",
                    kind=u["kind"],
                    bedrooms=u["bedrooms"],
                    max_occupants=u["max_occupants"],
                    beds=u["beds"],
                    zone=f"{muni[u['municipality']].number}-{u['zone'].rsplit('-', 1)[-1]}",
                    accessible=u["accessible"],
                    available_from=date.fromisoformat(u["available_from"]),
                    rent_nok=9000,
                    synthetic=True,
                )
                for u in data["units"]
            ),
            batch_size=1000,
        )
        rows = []
        for h in data["households"]:
            ages = [p["age"] for p in h["persons"]]
            if h["uam"]:
                kind = HouseholdType.UAM
            elif len(ages) == 1:
                kind = HouseholdType.SINGLE
            elif any(a < 18 for a in ages):
                kind = HouseholdType.FAMILY_CHILDREN
            else:
                kind = HouseholdType.FAMILY_NO_CHILDREN
            permit = date.fromisoformat(h["permit_date"])
            rows.append(
                Household(
                    reference=f"BIG-{h['id']}",
                    household_type=kind,
                    status=CaseStatus.READY,
                    permit_date=permit,
                    ready_on=permit + timedelta(days=30),
                    needs=h["needs"],
                    ties=[muni[t].number for t in h["ties"] if t in muni],
                )
            )
        Household.objects.bulk_create(rows, batch_size=1000)
        ids = dict(
            Household.objects.filter(reference__startswith="BIG-").values_list("reference", "pk")
        )
        Person.objects.bulk_create(
            (
                Person(
                    household_id=ids[f"BIG-{h['id']}"],
                    birth_year=AS_OF.year - p["age"],
                    sex="f",
                    is_principal=i == 0,
                )
                for h in data["households"]
                for i, p in enumerate(h["persons"])
            ),
            batch_size=2000,
        )
    return {
        "households": len(data["households"]),
        "units": len(data["units"]),
        "municipalities": len(data["municipalities"]),
    }


def main(argv: list[str]) -> None:
    from bosetting.commands._django import setup

    setup()
    from django.core.management import call_command

    from bosetting.bootstrap import load_reference as do_load_reference

    call_command("migrate", interactive=False, verbosity=0)
    do_load_reference()
    size = tuple(int(a) for a in argv) if argv else SIZE
    print(build(*size))


if __name__ == "__main__":
    main(sys.argv[1:])
