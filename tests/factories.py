"""factory_boy factories for the synthetic objects the tests make.

Households (with their persons), persons, housing units, leases, reception centres, settlement
requests, council decisions, matching rounds and proposals. Everything is synthetic: persons have a
birth year and a sex, never a name. Reference data (municipalities, counties, offices) is real and
loaded once per session by the ``reference_db`` fixture; factories look municipalities up by their
number in the 2014 structure (``number="1201"``) instead of making them.

Sequences (references, unit codes) start again for every test (``reset_sequences``, an autouse fixture
in ``tests/conftest.py``), so what a test makes does not depend on what ran before it in the process.
"""

from __future__ import annotations

from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from bosetting.apps.cases.choices import CaseStatus, HouseholdType
from bosetting.apps.cases.models import Household, Person
from bosetting.apps.geo.models import Municipality, ReceptionCentre
from bosetting.apps.housing.models import HousingUnit, Lease, UnitKind
from bosetting.apps.matching.models import MatchingRound, Proposal
from bosetting.apps.planning.models import CouncilDecision, SettlementRequest

# The day the default ages hold: the demo world's business date (a matching round's "today").
AGES_ON = date(2015, 1, 5)


def municipality(number: str) -> Municipality:
    """A real municipality of the 2014 structure, by its number ("1201" is Bergen)."""
    return Municipality.objects.get(structure_year=2014, number=number)


def _municipality_or_none(o) -> Municipality | None:
    return municipality(o.number) if o.number else None


def household_type_for(ages) -> str:
    """The household type its members' ages imply: all minors an unaccompanied minor (UAM), one adult
    a single, adults with minors a family with children, adults only a family without."""
    if ages and all(a < 18 for a in ages):
        return HouseholdType.UAM
    if len(ages) == 1:
        return HouseholdType.SINGLE
    if any(a < 18 for a in ages):
        return HouseholdType.FAMILY_CHILDREN
    return HouseholdType.FAMILY_NO_CHILDREN


class HouseholdFactory(DjangoModelFactory):
    """A household (*husstand*) and its persons.

    ``HouseholdFactory(ages=(34, 6))`` makes a parent of 34 and a child of 6 on ``ages_on``; or give
    the birth years directly: ``birth_years=[1980, 2008]``. The first person is the principal.
    ``number="1201"`` places it in a municipality.
    """

    class Meta:
        model = Household

    class Params:
        number = None
        ages = (34, 6)
        ages_on = AGES_ON

    reference = factory.Sequence(lambda n: f"T-{n + 1:05d}")
    household_type = factory.LazyAttribute(lambda o: household_type_for(o.ages))
    status = CaseStatus.READY
    municipality = factory.LazyAttribute(_municipality_or_none)
    permit_date = date(2014, 6, 1)
    ready_on = factory.LazyAttribute(
        lambda o: None if o.status == CaseStatus.PERMIT_GRANTED else date(2014, 7, 1)
    )
    # Not model fields: ``_create`` turns them into Person rows.
    birth_years = factory.LazyAttribute(lambda o: [o.ages_on.year - a for a in o.ages])
    person_sex = Person.Sex.FEMALE

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("birth_years")
        kwargs.pop("person_sex")
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        birth_years = kwargs.pop("birth_years")
        sex = kwargs.pop("person_sex")
        household = super()._create(model_class, *args, **kwargs)
        Person.objects.bulk_create(
            [
                Person(household=household, birth_year=year, sex=sex, is_principal=i == 0)
                for i, year in enumerate(birth_years)
            ]
        )
        return household


class PersonFactory(DjangoModelFactory):
    """One more person in a household (``HouseholdFactory`` makes the first ones)."""

    class Meta:
        model = Person

    household = factory.SubFactory(HouseholdFactory, ages=())
    birth_year = 1990
    sex = Person.Sex.UNKNOWN
    is_principal = False


class HousingUnitFactory(DjangoModelFactory):
    """A housing unit (*bolig*), by default a municipal flat for four in Bergen, free from 1 Jan 2015."""

    class Meta:
        model = HousingUnit

    municipality = factory.LazyAttribute(lambda o: municipality(o.number))
    code = factory.LazyAttributeSequence(lambda o, n: f"T-{o.municipality.number}-{n + 1:05d}")
    kind = UnitKind.MUNICIPAL
    max_occupants = 4
    bedrooms = factory.LazyAttribute(lambda o: max(1, o.max_occupants // 2))
    beds = 1
    zone = factory.LazyAttribute(lambda o: f"{o.municipality.number}-01")
    available_from = date(2015, 1, 1)
    rent_nok = 8000

    class Params:
        number = "1201"
        # Units spread over three neighbourhoods of their municipality, one after the other.
        spread_zones = factory.Trait(
            zone=factory.LazyAttributeSequence(
                lambda o, n: f"{o.municipality.number}-{(n + 1) % 3}"
            )
        )


class LeaseFactory(DjangoModelFactory):
    """A three-year lease (*leiekontrakt*) of a unit to a household settled in its municipality."""

    class Meta:
        model = Lease

    unit = factory.SubFactory(HousingUnitFactory)
    household = factory.SubFactory(
        HouseholdFactory,
        status=CaseStatus.SETTLED,
        municipality=factory.SelfAttribute("..unit.municipality"),
        settled_on=factory.SelfAttribute("..start"),
    )
    start = date(2014, 5, 1)
    end = factory.LazyAttribute(lambda o: o.start + timedelta(days=3 * 365))
    rent_nok = factory.SelfAttribute("unit.rent_nok")


class ReceptionCentreFactory(DjangoModelFactory):
    """A reception centre (*asylmottak*)."""

    class Meta:
        model = ReceptionCentre

    class Params:
        number = "1201"

    name = factory.Sequence(lambda n: f"Testmottak {n + 1}")
    municipality = factory.LazyAttribute(lambda o: municipality(o.number))
    synthetic = True


class SettlementRequestFactory(DjangoModelFactory):
    """IMDi's request (*anmodning*) to a municipality for a year."""

    class Meta:
        model = SettlementRequest

    class Params:
        number = "1201"

    municipality = factory.LazyAttribute(lambda o: municipality(o.number))
    year = 2015
    persons = 10


class CouncilDecisionFactory(DjangoModelFactory):
    """A municipal council's decision (*vedtak om bosetting*) for a year."""

    class Meta:
        model = CouncilDecision

    class Params:
        number = "1201"

    municipality = factory.LazyAttribute(lambda o: municipality(o.number))
    year = 2015
    persons = 10
    uam_persons = 0


class MatchingRoundFactory(DjangoModelFactory):
    """A matching round (*utsøkingsrunde*), already sent to the municipalities in its scope."""

    class Meta:
        model = MatchingRound

    as_of = AGES_ON
    status = MatchingRound.Status.SENT
    scope_municipalities = factory.List(["1201"])


class ProposalFactory(DjangoModelFactory):
    """A proposal sent to a municipality: its household proposed there, with a unit of that
    municipality."""

    class Meta:
        model = Proposal

    class Params:
        number = "1201"

    round = factory.SubFactory(
        MatchingRoundFactory,
        scope_municipalities=factory.LazyAttribute(
            lambda o: [o.factory_parent.municipality.number]
        ),
    )
    municipality = factory.LazyAttribute(lambda o: municipality(o.number))
    household = factory.SubFactory(
        HouseholdFactory,
        status=CaseStatus.PROPOSED,
        municipality=factory.SelfAttribute("..municipality"),
    )
    unit = factory.SubFactory(
        HousingUnitFactory, municipality=factory.SelfAttribute("..municipality")
    )
    score = 1.5
    status = Proposal.Status.SENT
    sent_on = AGES_ON


FACTORIES = (
    HouseholdFactory,
    PersonFactory,
    HousingUnitFactory,
    LeaseFactory,
    ReceptionCentreFactory,
    SettlementRequestFactory,
    CouncilDecisionFactory,
    MatchingRoundFactory,
    ProposalFactory,
)


def reset_sequences() -> None:
    """Start every factory's sequence again (references ``T-00001``…, unit codes)."""
    for f in FACTORIES:
        f.reset_sequence()
