"""Which units are free when: the booking calendar as query expressions (used by the selectors and
the gap; other code reads them through ``selectors``)."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Greatest

from bosetting.apps.housing.choices import UnitKind
from bosetting.apps.housing.models import HousingUnit, Lease


def active_lease_on(day_expr) -> Exists:
    """``Exists`` subquery: the unit (OuterRef) has a lease running on ``day_expr``."""
    return Exists(
        Lease.objects.contracts()
        .filter(unit=OuterRef("pk"), start__lte=day_expr)
        .filter(Q(end__isnull=True) | Q(end__gt=day_expr))
    )


def available_within(qs: QuerySet[HousingUnit], start: date, end: date) -> QuerySet[HousingUnit]:
    """Units reported available on or before ``end`` and not let on the day they become available
    (or on ``start``, whichever is later). Shared units count while a bed is free."""
    ref_day = Greatest(OuterRef("available_from"), Value(start, output_field=DateField()))
    qs = qs.filter(available_from__isnull=False, available_from__lte=end)
    # ``order_by()``: a lease's default order (by unit, i.e. by municipality and code) would join
    # two tables into a subquery that the database runs for every unit.
    busy_leases = (
        Lease.objects.occupying()
        .filter(unit=OuterRef("pk"), start__lte=ref_day)
        .filter(Q(end__isnull=True) | Q(end__gt=ref_day))
        .order_by()
    )
    busy = Subquery(
        busy_leases.values("unit").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )
    qs = qs.annotate(_busy=busy)
    return qs.filter(
        Q(_busy__isnull=True) | Q(_busy=0) | (Q(kind=UnitKind.SHARED) & Q(_busy__lt=F("beds")))
    )
