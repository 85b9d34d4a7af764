"""The report's coordination data as seeded by ``bosetting load-reference`` (Tables 5.1 and 5.2, the
appendix and the ladder)."""

import pytest

from bosetting.apps.coordination import selectors
from bosetting.apps.coordination.models import (
    Agreement,
    CoordinationAssessment,
    CoordinationEvent,
    OfficePair,
    Programme,
)
from bosetting.apps.coordination.seed_data import parse_cell
from bosetting.apps.coordination.services import do_load_seed

pytestmark = pytest.mark.django_db


def _cell(pair_slug: str, form: str):
    return selectors.current_assessments(selectors.pair_by_slug(pair_slug))[form]


def test_table_5_2_has_nine_office_pairs_with_eight_forms_each(reference_db):
    assert OfficePair.objects.count() == 9
    assert CoordinationAssessment.objects.exclude(seed_key="").count() == 72


def test_region_midt_has_formal_agreement_and_joint_activity_plan(reference_db):
    assert _cell("hb-midt--imdi-midt", "formal_agreement").present is True
    assert _cell("hb-midt--imdi-midt", "joint_activity_plan").present is True
    programme = _cell("hb-midt--imdi-midt", "programme_dialogue")
    assert (programme.present, programme.degree) == (True, "large")
    assert _cell("hb-midt--imdi-midt", "informal_contact").degree == "high"


def test_region_vest_has_no_agreement_but_meets_municipalities_together_to_a_large_degree(
    reference_db,
):
    assert _cell("hb-vest--imdi-vest", "formal_agreement").present is False
    assert _cell("hb-vest--imdi-vest", "joint_activity_plan").present is False
    meetings = _cell("hb-vest--imdi-vest", "joint_municipality_meetings")
    assert meetings.degree == "large" and meetings.present is None
    assert _cell("hb-vest--imdi-vest", "informal_contact").label == "I høy grad"


def test_printed_yes_but_small_degree_keeps_both_parts(reference_db):
    arenas = _cell("hb-sor--imdi-ost", "each_others_arenas")
    assert (arenas.present, arenas.degree) == (True, "small")
    assert arenas.printed_value == "Ja, men i liten grad"


def test_footnotes_of_the_table_are_attached_to_their_cells(reference_db):
    cell = _cell("hb-sor--imdi-sor", "programme_dialogue")
    assert cell.present is False and "IMDi Sør" in cell.footnote
    cell = _cell("hb-ost--imdi-indre-ost", "programme_dialogue")
    assert "IMDi Indre Øst" in cell.footnote


def test_every_seeded_entry_cites_report_lines(reference_db):
    for model in (CoordinationAssessment, Agreement, CoordinationEvent, Programme):
        for source in model.objects.exclude(seed_key="").values_list("source", flat=True):
            assert "Fafo 2015" in source and "L" in source, (model, source)


def test_only_midt_is_on_step_four_of_the_ladder(reference_db):
    levels = {row["pair"].slug: row["ladder"].level for row in selectors.coordination_matrix()}
    assert levels["hb-midt--imdi-midt"] == 4
    assert {v for k, v in levels.items() if k != "hb-midt--imdi-midt"} == {1}


def test_programmes_keep_printed_counts_without_inventing_members(reference_db):
    includio = Programme.objects.get(name="Includio 15")
    assert includio.municipality_count == 15 and includio.office.code == "imdi-vest"
    assert Programme.objects.get(name="K+").municipality_count == 9
    assert Programme.objects.get(seed_key="imdi-sor-partnership").count_text == "3–5"
    assert not includio.memberships.exists()


def test_seeding_twice_changes_nothing(reference_db):
    before = (
        CoordinationAssessment.objects.count(),
        CoordinationEvent.objects.count(),
        Agreement.objects.count(),
        Programme.objects.count(),
    )
    do_load_seed()
    after = (
        CoordinationAssessment.objects.count(),
        CoordinationEvent.objects.count(),
        Agreement.objects.count(),
        Programme.objects.count(),
    )
    assert before == after


def test_activity_plans_carry_their_annual_wheel(reference_db):
    midt = Agreement.objects.get(seed_key="midt-agreement")
    wheel = {w.title: w.times_per_year for w in midt.wheel.all()}
    assert wheel == {"Samarbeidsmøte": "4", "Ledermøte": "1"}


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Ja", (True, "", "")),
        ("Nei*", (False, "", "*")),
        ("I stor grad", (None, "large", "")),
        ("Ja, i stor grad", (True, "large", "")),
        ("Ja, men i liten grad", (True, "small", "")),
    ],
)
def test_printed_cells_parse_into_yes_no_and_degree(printed, expected):
    assert parse_cell(printed) == expected
