"""The report's own published figures for Tables 2.1–2.4, exactly as printed.

Source: Fafo (Oslo, February 2015), report for Husbanken and IMDi on
coordination in settling refugees; line numbers ("L636") refer to the text
file of the report as cited in the project's seed digest (§4.1). Decimal
commas are written as points; "-" in the report is ``None`` here.

:data:`PUBLISHED_TABLES` has the same shape as the output of
:func:`bosetting.engine.rules.kpi.tables`, so a simulator calibration or a
report can compare key by key. Keep in mind:

* the 2014 columns of Tables 2.1 and 2.2 are **as of November 2014** (IMDi's
  monthly report), not the full year;
* Tables 2.3 and 2.4 are "per desember 2014" and cover 2014–2016 and
  2014–2015 respectively;
* "lengeventende" (long-waiting) has no definition in the report;
* Table 2.2's first row is waiting from the residence decision to settlement
  for persons settled from reception ("bosatte fra mottak").
"""

from __future__ import annotations

from typing import Any

REPORT = (
    "Fafo 2015: Bakkeli, Steen Jensen & Grønningsæter, report for Husbanken and IMDi "
    "on coordination between Husbanken, IMDi and municipalities in settling refugees"
)

#: Tabell 2.1 (L636–648): settled, settlement-ready at 31 Dec, share settled
#: within 6 months (%), long-waiting. Source in the report: IMDi annual reports.
TABLE_2_1: dict[str, dict[str, int | None]] = {
    "2009": {
        "settled": 6087,
        "waiting_dec31": 1407,
        "share_settled_within_6_months_pct": 77,
        "long_waiters": 310,
    },
    "2010": {
        "settled": 5797,
        "waiting_dec31": 1627,
        "share_settled_within_6_months_pct": 74,
        "long_waiters": 327,
    },
    "2011": {
        "settled": 5486,
        "waiting_dec31": 1967,
        "share_settled_within_6_months_pct": 67,
        "long_waiters": 513,
    },
    "2012": {
        "settled": 5742,
        "waiting_dec31": 3829,
        "share_settled_within_6_months_pct": 61,
        "long_waiters": 1554,
    },
    "2013": {
        "settled": 6551,
        "waiting_dec31": 5443,
        "share_settled_within_6_months_pct": 50,
        "long_waiters": 2346,
    },
    "2014": {
        "settled": 6874,
        "waiting_dec31": 5214,
        "share_settled_within_6_months_pct": 48,
        "long_waiters": 2805,
    },
}

#: Tabell 2.2 (L650–665): waiting time in months. Source in the report: IMDi
#: annual reports; 2014 from IMDi's monthly report for November 2014.
TABLE_2_2: dict[str, dict[str, float | None]] = {
    "2009": {"months_permit_to_settlement": 5.3, "months_case_to_settlement": 14.3},
    "2010": {"months_permit_to_settlement": 5.7, "months_case_to_settlement": 15.7},
    "2011": {"months_permit_to_settlement": 6.5, "months_case_to_settlement": 16.8},
    "2012": {"months_permit_to_settlement": 6.7, "months_case_to_settlement": 18.5},
    "2013": {"months_permit_to_settlement": 8.0, "months_case_to_settlement": 19.9},
    "2014": {"months_permit_to_settlement": 8.3, "months_case_to_settlement": None},
}

#: Tabell 2.3 (L683–692): IMDi's requests and municipal decisions 2014–2016,
#: as of December 2014, in persons. Source in the report: IMDi.
TABLE_2_3: dict[str, dict[str, int | None]] = {
    "2014": {"requested": 10973, "decided": 8074},
    "2015": {"requested": 10639, "decided": 6479},
    "2016": {"requested": 10013, "decided": 5071},
}

#: Tabell 2.4 (L694–709): municipalities by decision class for 2014 and 2015,
#: as of December 2014. Source in the report: IMDi.
TABLE_2_4: dict[str, dict[str, int | None]] = {
    "2014": {"in_line": 140, "fewer": 201, "none": 51, "no_decision": 36, "total": 428},
    "2015": {"in_line": 129, "fewer": 162, "none": 21, "no_decision": 116, "total": 428},
}

#: All four tables in the shape returned by ``tables()``.
PUBLISHED_TABLES: dict[str, dict[str, dict[str, Any]]] = {
    "table_2_1": TABLE_2_1,
    "table_2_2": TABLE_2_2,
    "table_2_3": TABLE_2_3,
    "table_2_4": TABLE_2_4,
}

#: Where each row is printed in the report (line numbers of the source text).
LINE_REFS: dict[str, dict[str, str]] = {
    "table_2_1": {
        "table": "L636–648",
        "settled": "L640",
        "waiting_dec31": "L642",
        "share_settled_within_6_months_pct": "L644",
        "long_waiters": "L646",
    },
    "table_2_2": {
        "table": "L650–665",
        "months_permit_to_settlement": "L654–657",
        "months_case_to_settlement": "L659–662",
    },
    "table_2_3": {"table": "L683–692"},
    "table_2_4": {"table": "L694–709"},
}

#: Columns that are not full calendar years.
PARTIAL_COLUMNS: dict[str, dict[str, str]] = {
    "table_2_1": {"2014": "as of November 2014"},
    "table_2_2": {"2014": "as of November 2014 (IMDi monthly report)"},
    "table_2_3": {
        "2014": "as of December 2014",
        "2015": "as of December 2014",
        "2016": "as of December 2014",
    },
    "table_2_4": {"2014": "as of December 2014", "2015": "as of December 2014"},
}

#: Other published figures the KPIs can be checked against (digest §3.3, §4.2, §6).
OTHER_FIGURES: dict[str, tuple[float | int, str]] = {
    "waiting_end_of_november_2014": (5214, "L615–616"),
    "share_still_without_housing_after_12_months_2013_pct": (17, "L628–629"),
    "share_families_with_children_within_3_months_2013_pct": (17, "L630–631"),
    "children_waiting_end_of_2013": (804, "L630–631"),
    "requested_municipalities_2013": (368, "L672–675"),
    "requested_places_2013": (9909, "L672–675"),
    "deciding_municipalities_2013": (293, "L672–675"),
    "decided_places_2013": (6589, "L672–675"),
    "mean_settled_per_1000_across_municipalities": (1.47, "L2126"),
}
