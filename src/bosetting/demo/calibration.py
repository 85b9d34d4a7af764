"""What the synthetic demo world is calibrated to, and where each figure comes from.

The demo world is Norway at the turn of 2014/2015. Real where the data are real (the 2014 municipal
structure, requests, decisions and settled counts for 2012–2014); synthetic where nothing real may be
shown (people, flats, leases) or nothing real exists in our data (the 2015–2016 municipal plans).
Every synthetic figure below is drawn so that what a reader of the report would check comes out as the
report says. "L123" is a line of the report's text file (the project's seed digest). Explained for
users in docs/demo.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from bosetting.engine.rules.kpi.published import TABLE_2_3, TABLE_2_4

# --- the municipal plans for 2015 and 2016 ------------------------------------------------------------

#: Table 2.3 (L683–692, per December 2014): IMDi's requests and the councils' decisions, persons.
PLAN_TOTALS: dict[int, tuple[int, int]] = {
    year: (int(TABLE_2_3[str(year)]["requested"] or 0), int(TABLE_2_3[str(year)]["decided"] or 0))
    for year in (2015, 2016)
}

#: Table 2.4 (L694–709, per December 2014): municipalities by decision class for 2015.
CLASSES_2015: dict[str, int] = {
    k: int(TABLE_2_4["2015"][k] or 0) for k in ("in_line", "fewer", "none", "no_decision")
}

#: How likely a municipality of each 2014 class (the rows, IMDi's real 2014 data) is to have no
#: decision for 2015 yet, or to settle none, in December 2014 (relative weights). The report gives no
#: transition table: our assumption, "a council keeps its line" — those without a 2014 decision are the
#: likeliest to have none for 2015 yet, those that settled none keep settling none. Of the others, those
#: that decided the larger share of their 2014 request are the likelier to decide in line for 2015.
CLASS_WEIGHTS: dict[str, dict[str, float]] = {
    "no_decision": {"no_decision": 6.0, "none": 3.0},
    "none": {"no_decision": 3.0, "none": 10.0},
    "fewer": {"no_decision": 1.0, "none": 1.0},
    "in_line": {"no_decision": 0.7, "none": 0.3},
}

#: Unaccompanied minors' share of a decision (synthetic: 4 %).
UAM_SHARE_OF_DECISION = 0.04

# --- the housing stock ------------------------------------------------------------------------------------

#: Free units in 2015 (reported available during the year) as a share of the households the gap expects,
#: by size band of the households they fit. The report's central finding: too few large flats for big
#: families and too few small cheap ones for single adults (L82–84, L1627–1630, L1873–1876); single
#: adults were 71 % of those lacking housing at the turn of 2012–2013 (L633–634). The shares are our
#: calibration, chosen so that the national gap for 2015 shows both shortages in that order.
SUPPLY_SHARE: dict[str, float] = {"1": 0.70, "2": 1.0, "3-4": 0.95, "5+": 0.30}

#: First homes whose three-year lease (L1821–1822) ends and whose tenant moves on; the others stay on
#: with a renewed lease (low throughput: "many stay long, which blocks new settlement", L1811–1827,
#: L1086–1096). The report gives no share: our assumption.
FIRST_HOME_RELEASE_SHARE = 0.35

#: Share of single adults' first homes that are a bed in a shared flat (bofellesskap, L1328–1333);
#: of the others, the share housed in a studio (the rest in a two-room flat).
SHARED_SHARE_OF_SINGLES = 0.25
STUDIO_SHARE_OF_SINGLES = 0.8

#: Persons a unit takes by bedrooms: a studio (hybel) for one, then two, four, five, seven, eight.
OCCUPANTS_BY_BEDROOMS: dict[int, int] = {0: 1, 1: 2, 2: 4, 3: 5, 4: 7, 5: 8}

#: Monthly rent by bedrooms (kroner, synthetic): a studio is the small cheap flat singles need.
RENT_BY_BEDROOMS: dict[int, int] = {0: 5200, 1: 7000, 2: 9500, 3: 12000, 4: 14500, 5: 17000}

#: Persons per household in the national queue, for the waiting and the first homes: about 70 % of
#: arriving refugees are single adults (L1326–1327); families of 2–8, large ones rarer.
SINGLE_SHARE_OF_PERSONS = 0.7
FAMILY_SIZES = (2, 3, 4, 5, 6, 7, 8)
FAMILY_SIZE_P = (0.22, 0.24, 0.22, 0.14, 0.10, 0.05, 0.03)

#: Singles waiting who say they expect family through reunification (L1159–1162, L1714–1717) and how
#: many of them have already applied (the rest: their own statement at the settlement interview).
EXPECTS_REUNIFICATION_SHARE = 0.15
REUNIFICATION_APPLIED_SHARE = 0.3


# --- the six case municipalities (section 6 of the digest) ---------------------------------------------


@dataclass(frozen=True)
class CaseMunicipality:
    """A case municipality of the report and what the demo world keeps of it.

    Attributes:
        name: As in the report.
        decided: Persons decided per year for 2015 and 2016 (None: drawn like any other).
        sublet_share: Share of first homes (not self-found, not shared) that are private flats the
            municipality rents and sublets (fremleie); the rest are municipal dwellings.
        self_settled_share: Share of settled households that found their home themselves.
        supply_factor: Free units in 2015 relative to the national calibration (:data:`SUPPLY_SHARE`),
            per size band; a band not named keeps factor 1.
        free_from_month: First month of 2015 any free unit is available (1 = January).
        lines: Where the report says so.
    """

    name: str
    decided: int | None
    sublet_share: float
    self_settled_share: float
    supply_factor: dict[str, float]
    free_from_month: int = 1
    lines: str = ""


#: The report's six case municipalities (L1909–2339). Decisions per year as the report gives them;
#: housing as it describes it.
CASE_MUNICIPALITIES: dict[str, CaseMunicipality] = {
    "1201": CaseMunicipality(
        "Bergen",
        decided=350,  # 350 a year decided for 2014–2016, plus about 100 reunified (L2058–2059)
        sublet_share=0.0,  # "The municipality sublets no flats" (L2074)
        self_settled_share=0.30,  # self-settlement a prerequisite for settling so many (L2075–2083)
        supply_factor={"1": 0.8},  # shortage; ~600 in the queue for municipal housing (L2067)
        lines="L2053–2114",
    ),
    "0219": CaseMunicipality(
        "Bærum",
        decided=156,  # 400 for 2014–2016 plus 45 in Dec 2014 spread over 2014–15 (L2200–2201)
        sublet_share=0.35,  # three tracks: municipal, private via the housing office, self (L2207–2213)
        self_settled_share=0.15,
        supply_factor={"1": 0.6, "5+": 0.6},  # lacks both large and small dwellings (L2238–2240)
        lines="L2194–2265",
    ),
    "0501": CaseMunicipality(
        "Lillehammer",
        decided=45,  # "om lag 45" a year plus family-reunified (L1942)
        sublet_share=0.10,
        self_settled_share=0.05,
        supply_factor={"1": 0.7},  # 3,900 students compete for rentals (L1936–1937)
        lines="L1927–2011",
    ),
    "1505": CaseMunicipality(
        "Kristiansund",
        decided=50,  # decision 40 a year, raised to 50 (L2013–2051)
        sublet_share=0.10,
        self_settled_share=0.05,
        supply_factor={"3-4": 1.2},  # stable homes for families with children (L2040–2051)
        lines="L2013–2051",
    ),
    "2004": CaseMunicipality(
        "Hammerfest",
        decided=30,  # three-year decision "fra 2014 til 2017", 30 a year (L2124)
        sublet_share=0.85,  # relies on private leases with subletting (L2161–2170)
        self_settled_share=0.05,
        supply_factor={},
        lines="L2116–2192",
    ),
    "1037": CaseMunicipality(
        "Kvinesdal",
        decided=27,  # 80 over 2014–2016 (L2267–2322)
        sublet_share=0.0,  # has usually had enough municipal dwellings (L2277–2280)
        self_settled_share=0.03,
        supply_factor={},
        free_from_month=7,  # "Vi begynner med ingen boliger" for 2015 (L2316–2322); building more
        lines="L2267–2322",
    ),
}

#: Everyone else: most first homes municipal, a third sublet, just under 10 % self-found (L606–607).
DEFAULT_SUBLET_SHARE = 0.35
DEFAULT_SELF_SETTLED_SHARE = 0.08
