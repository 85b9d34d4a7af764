"""The booking rule in the database.

1. Beds for existing rows of shared units (each overlapping row its own bed, earliest first).
2. A reservation for every household that holds a flat without one (proposed, accepted, in
   preparation or self-settlement pending with a unit): before this migration holding a flat was
   implicit in the household's status.
3. On PostgreSQL, an exclusion constraint: two rows that occupy the same bed of a unit may not
   overlap in time (``[start, end)``, open-ended when ``end`` is empty; released reservations do not
   count). SQLite has no exclusion constraints: there the housing service's check under the write
   lock is the rule (tests prove both).
"""

from django.db import migrations

HOLDING = ("proposed", "accepted", "preparing", "self_pending")

EXCLUSION = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE housing_lease ADD CONSTRAINT lease_no_double_booking
    EXCLUDE USING gist (
        unit_id WITH =,
        bed WITH =,
        daterange(start, "end", '[)') WITH &&
    ) WHERE (status <> 'released');
"""
DROP_EXCLUSION = "ALTER TABLE housing_lease DROP CONSTRAINT IF EXISTS lease_no_double_booking;"


def _overlaps(a, b) -> bool:
    return (a.end is None or a.end > b.start) and (b.end is None or b.end > a.start)


def assign_beds_and_reserve(apps, schema_editor):
    booking_model = apps.get_model("housing", "Lease")
    unit_model = apps.get_model("housing", "HousingUnit")
    household_model = apps.get_model("cases", "Household")
    shared = unit_model.objects.filter(kind="shared").values_list("pk", flat=True)
    changed = []
    for unit_id in shared:
        placed = []
        for row in booking_model.objects.filter(unit_id=unit_id).order_by("start", "pk"):
            taken = {p.bed for p in placed if _overlaps(p, row)}
            row.bed = next(b for b in range(1, len(placed) + 2) if b not in taken)
            placed.append(row)
            changed.append(row)
    booking_model.objects.bulk_update(changed, ["bed"], batch_size=1000)

    holders = household_model.objects.filter(status__in=HOLDING, unit__isnull=False)
    new_rows = []
    for h in holders.select_related("unit"):
        if booking_model.objects.filter(household_id=h.pk, unit_id=h.unit_id).exists():
            continue
        days = [d for d in (h.unit.available_from, h.proposed_on, h.accepted_on, h.agreement_on) if d]
        if not days:
            continue
        start = max(days)
        others = booking_model.objects.filter(unit_id=h.unit_id).exclude(status="released")
        taken = {o.bed for o in others if o.end is None or o.end > start}
        beds = h.unit.beds if h.unit.kind == "shared" else 1
        free = [b for b in range(1, beds + 1) if b not in taken]
        if not free:
            continue  # already booked by someone else: left for an officer to sort out
        new_rows.append(
            booking_model(
                unit_id=h.unit_id,
                household_id=h.pk,
                status="reserved",
                bed=free[0],
                start=start,
                rent_nok=h.unit.rent_nok,
                changed_by="migration",
            )
        )
    booking_model.objects.bulk_create(new_rows, batch_size=1000)


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXCLUSION)


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_EXCLUSION)


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0003_booking_calendar"),
        ("cases", "0004_lifecycle_versions"),
    ]

    operations = [
        migrations.RunPython(assign_beds_and_reserve, migrations.RunPython.noop),
        migrations.RunPython(add_exclusion, drop_exclusion),
    ]
