"""The report's coordination data as plain Python: Table 5.2 (L2481–2620), the appendix «Vedlegg»
(L3682–3860) and the coordination ladder (L2903–2908, L3218–3232).

Every entry carries its source with line numbers in the report text (Fafo 2015). Dates: the table
describes the situation "per juni 2014" (L2618–2629); where the report gives no date, the entry has
none and says so. Cell values are kept as printed and parsed into yes/no plus degree.
"""

from __future__ import annotations

from datetime import date

REPORT = "Fafo 2015"
AS_OF = date(2014, 6, 30)  # «per juni 2014» (L2618–2620, L2629)

# Table 5.2 columns, in order (L2487–2532).
COLUMNS = (
    "formal_agreement",
    "joint_activity_plan",
    "director_meetings",
    "programme_dialogue",
    "each_others_arenas",
    "joint_municipality_meetings",
    "sharing_examples",
    "informal_contact",
)

FOOTNOTE_INDRE_OST = (
    "IMDi Indre Øst hadde per juni 2014 ikke kommunesatsingsprosjekt, men jobbet med å etablere "
    "dette (L2618)."
)
FOOTNOTE_SOR = (
    "IMDi Sør hadde per juni 2014 ikke kommunesatsingsprosjekt, men jobbet med å etablere dette "
    "(L2620)."
)

# (region, husbanken office, imdi office, first line, last line, eight printed cells)
TABLE_5_2: tuple[tuple[str, str, str, int, int, tuple[str, ...]], ...] = (
    ("øst", "hb-ost", "imdi-ost", 2534, 2546,
     ("Nei", "Nei", "Ja", "Ja", "Ja", "I noen grad", "I noen grad", "I liten grad")),
    ("øst", "hb-ost", "imdi-indre-ost", 2548, 2556,
     ("Nei", "Nei", "Ja", "Nei*", "Ja", "I liten grad", "I noen grad", "I liten grad")),
    ("sør", "hb-sor", "imdi-sor", 2558, 2565,
     ("Ja", "Ja", "Ja", "Nei**", "Ja", "I liten grad", "I stor grad", "I liten grad")),
    ("sør", "hb-sor", "imdi-indre-ost", 2567, 2575,
     ("Nei", "Nei", "Ja", "Nei", "Ja", "I liten grad", "I noen grad", "I liten grad")),
    ("sør", "hb-sor", "imdi-ost", 2577, 2584,
     ("Nei", "Nei", "Ja", "Nei", "Ja, men i liten grad", "I liten grad", "I liten grad",
      "I liten grad")),
    ("vest", "hb-vest", "imdi-vest", 2586, 2591,
     ("Nei", "Nei", "Ja", "Ja", "Ja", "I stor grad", "I stor grad", "I høy grad")),
    ("midt", "hb-midt", "imdi-midt", 2593, 2598,
     ("Ja", "Ja", "Ja", "Ja, i stor grad", "Ja, i stor grad", "I stor grad", "I stor grad",
      "I høy grad")),
    ("nord", "hb-bodo", "imdi-nord", 2600, 2609,
     ("Ja", "Ja", "Ja", "Ja", "Ja", "I liten grad", "I noen grad", "I liten grad")),
    ("nord", "hb-hammerfest", "imdi-nord", 2611, 2616,
     ("Ja", "Ja", "Ja", "Ja", "Ja", "I liten grad", "I liten grad", "I liten grad")),
)  # fmt: skip

_DEGREES = {
    "i liten grad": "small",
    "i noen grad": "some",
    "i stor grad": "large",
    "i høy grad": "high",
}


def parse_cell(printed: str) -> tuple[bool | None, str, str]:
    """Parse a printed cell into (present, degree, footnote marker).

    >>> parse_cell("Ja, men i liten grad")
    (True, 'small', '')
    >>> parse_cell("Nei**")
    (False, '', '**')
    >>> parse_cell("I høy grad")
    (None, 'high', '')
    """
    text = printed.strip()
    marker = ""
    while text.endswith("*"):
        marker += "*"
        text = text[:-1]
    low = text.lower()
    present: bool | None = None
    if low.startswith("ja"):
        present = True
    elif low.startswith("nei"):
        present = False
    degree = ""
    for words, code in _DEGREES.items():
        if words in low:
            degree = code
    return present, degree, marker


def pair_key(husbanken: str, imdi: str) -> str:
    return f"{husbanken}--{imdi}"


# Agreements and activity plans (appendix), keyed by pair.
AGREEMENTS: tuple[dict, ...] = (
    {
        "key": "ost-agreement-expired",
        "pair": pair_key("hb-ost", "imdi-ost"),
        "kind": "cooperation",
        "status": "expired",
        "title": "Samarbeidsavtale IMDi Øst – Husbanken Øst (utløpt)",
        "period_note": "Utløp «for ett-to år siden» (rundt 2012–2013), ikke videreført.",
        "content": "Generelt samarbeid, delta på hverandres arrangementer, oppdatere informasjon.",
        "source": "L3694–3697",
    },
    {
        "key": "sor-ost-agreement-expired",
        "pair": pair_key("hb-sor", "imdi-ost"),
        "kind": "cooperation",
        "status": "expired",
        "title": "Samarbeidsavtale IMDi Øst – Husbanken Sør (utløpt)",
        "period_note": "Utløp «for ett-to år siden» (rundt 2012–2013), ikke videreført.",
        "content": "Generelt samarbeid, delta på hverandres arrangementer, oppdatere informasjon.",
        "source": "L3694–3697",
    },
    {
        "key": "sor-agreement",
        "pair": pair_key("hb-sor", "imdi-sor"),
        "kind": "cooperation",
        "status": "active",
        "title": "Samarbeidsavtale IMDi Sør – Husbanken Sør",
        "period_note": "Gjeldende per juni 2014; perioden er ikke oppgitt.",
        "content": "Tre IMDi-regioner ligger i Husbankregionen, men avtalen er bare med IMDi Sør.",
        "source": "L3726–3728",
        "wheel": (("Direktørmøte", "2", "L3726"),),
    },
    {
        "key": "sor-plan",
        "pair": pair_key("hb-sor", "imdi-sor"),
        "kind": "activity_plan",
        "status": "active",
        "title": "Handlings-/aktivitetsplan IMDi Sør – Husbanken Sør",
        "period_note": "Gjeldende per juni 2014; perioden er ikke oppgitt.",
        "content": "Konkretiserer felles aktiviteter.",
        "source": "L3730",
        "wheel": (("Husbankens nettverkssamling med kommunene, IMDi deltar", "2", "L3736–3737"),),
    },
    {
        "key": "vest-agreement-draft",
        "pair": pair_key("hb-vest", "imdi-vest"),
        "kind": "cooperation",
        "status": "in_preparation",
        "title": "Samarbeidsavtale og aktivitetsplan IMDi Vest – Husbanken Vest (under arbeid)",
        "period_note": "Ingen formell avtale per juni 2014; det jobbes med avtale og aktivitetsplan.",
        "content": "«Samarbeidet er lite formalisert, men svært aktivt» (L2630–2631).",
        "source": "L3753–3754",
    },
    {
        "key": "midt-agreement",
        "pair": pair_key("hb-midt", "imdi-midt"),
        "kind": "cooperation",
        "status": "active",
        "title": "Samarbeidsavtale IMDi Midt-Norge – Husbanken Midt-Norge",
        "period_note": "Evalueres og justeres før hver ny avtaleperiode; periodene er ikke oppgitt.",
        "content": "Fellestiltak og arrangementer overfor kommunene. Husbanken med i IMDis K+.",
        "source": "L3784–3787",
        "wheel": (
            ("Samarbeidsmøte", "4", "L3785"),
            ("Ledermøte", "1", "L3785"),
        ),
    },
    {
        "key": "midt-plan",
        "pair": pair_key("hb-midt", "imdi-midt"),
        "kind": "activity_plan",
        "status": "active",
        "title": "Årlig handlingsplan IMDi Midt-Norge – Husbanken Midt-Norge",
        "period_note": "Årlig.",
        "content": "Fellestiltak og arrangement overfor kommunene.",
        "source": "L3785–3786",
        "wheel": (("Seminar i «God og effektiv bosetting av flyktninger»", "3", "L3789–3793"),),
    },
    {
        "key": "nord-bodo-agreement",
        "pair": pair_key("hb-bodo", "imdi-nord"),
        "kind": "cooperation",
        "status": "active",
        "title": "Samarbeidsavtale IMDi Nord – Husbanken Region nord (Bodø)",
        "period_note": "Gjeldende per juni 2014; perioden er ikke oppgitt.",
        "content": "Dialog og kontakt i enkeltsaker; videomøter; hyppigere møter diskutert.",
        "source": "L3820–3823",
        "wheel": (
            ("Samarbeidsmøte (rådgivernivå/video)", "2–3", "L3820–3822"),
            ("Felles fysisk møte med lederforankring", "1", "L3821"),
        ),
    },
    {
        "key": "nord-hammerfest-agreement",
        "pair": pair_key("hb-hammerfest", "imdi-nord"),
        "kind": "cooperation",
        "status": "active",
        "title": "Samarbeidsavtale IMDi Nord – Husbanken Region nord (Hammerfest)",
        "period_note": "Gjeldende per juni 2014; perioden er ikke oppgitt.",
        "content": "Dialog og kontakt i enkeltsaker; videomøter; hyppigere møter diskutert.",
        "source": "L3820–3823",
        "wheel": (
            ("Samarbeidsmøte (rådgivernivå/video)", "2–3", "L3820–3822"),
            ("Felles fysisk møte med lederforankring", "1", "L3821"),
        ),
    },
    *(
        {
            "key": f"nord-{hb}-plan",
            "pair": pair_key(f"hb-{hb}", "imdi-nord"),
            "kind": "activity_plan",
            "status": "active",
            "title": f"Årlig aktivitetsplan IMDi Nord – Husbanken ({hb.capitalize()})",
            "period_note": "Årlig.",
            "content": "Konkrete tiltak og aktiviteter; begge regionkontorene i nord.",
            "source": "L3825–3826",
            "wheel": (
                (
                    "IMDis integreringskonferanse med kommunelederkonferanse i forkant "
                    "(Husbanken med innlegg og stand)",
                    "1",
                    "L3828–3831",
                ),
            ),
        }
        for hb in ("bodo", "hammerfest")
    ),
)

# Dated timeline entries. "pairs": the office pairs concerned; "offices": all offices involved.
EVENTS: tuple[dict, ...] = (
    {
        "key": "ost-forum",
        "pairs": (pair_key("hb-ost", "imdi-ost"), pair_key("hb-sor", "imdi-sor")),
        "offices": ("imdi-ost", "imdi-indre-ost", "imdi-sor", "hb-sor", "hb-ost"),
        "kind": "forum",
        "form": "each_others_arenas",
        "title": "Forum for bosetting av flyktninger (fem statlige kontorer) – siste møte",
        "when_text": "«1,5 år siden» (rundt årsskiftet 2012/2013)",
        "starts_on": date(2013, 1, 1),
        "description": "Vanskelig å få til, å finne felles tidspunkter.",
        "source": "L3704–3706",
    },
    {
        "key": "ost-maihaugen",
        "pairs": (pair_key("hb-ost", "imdi-indre-ost"),),
        "offices": ("hb-ost", "imdi-indre-ost"),
        "kind": "conference",
        "form": "each_others_arenas",
        "title": "Husbanken på IMDis Maihaugenkonferanse på Lillehammer",
        "when_text": "Ikke datert i rapporten",
        "source": "L3711–3712",
    },
    {
        "key": "ost-grorud",
        "pairs": (pair_key("hb-ost", "imdi-ost"),),
        "offices": ("hb-ost", "imdi-ost"),
        "kind": "meeting",
        "form": "director_meetings",
        "title": "Statlig koordineringsmøte for Groruddalssatsingen og Oslo Sør (ledes av IMDi)",
        "times_per_year": "3–4",
        "when_text": "Løpende per 2014",
        "source": "L3718–3719",
    },
    {
        "key": "ost-ostfold-pilot",
        "pairs": (pair_key("hb-ost", "imdi-ost"),),
        "offices": ("hb-ost", "imdi-ost"),
        "kind": "pilot",
        "title": "Forsøk i Østfold: fylkesmannen overtar bosettingsansvaret (Husbanken Øst i "
        "styrings- og arbeidsgruppa)",
        "starts_on": date(2015, 1, 1),
        "ends_on": date(2016, 12, 31),
        "when_text": "Prosjektperiode 2015–2016",
        "source": "L3720–3722",
    },
    {
        "key": "sor-conf-2013",
        "pairs": (
            pair_key("hb-sor", "imdi-sor"),
            pair_key("hb-sor", "imdi-ost"),
            pair_key("hb-sor", "imdi-indre-ost"),
        ),
        "offices": ("hb-sor", "hb-ost", "imdi-sor", "imdi-ost", "imdi-indre-ost"),
        "kind": "conference",
        "form": "each_others_arenas",
        "title": "Felles konferanse med Husbanken øst og alle IMDi-regionene",
        "starts_on": date(2013, 9, 1),
        "when_text": "Høsten 2013",
        "source": "L3739–3740",
    },
    {
        "key": "sor-conf-2014-integration",
        "pairs": (pair_key("hb-sor", "imdi-sor"),),
        "offices": ("hb-sor", "imdi-sor"),
        "kind": "conference",
        "form": "each_others_arenas",
        "title": "IMDis integreringskonferanse i Kristiansand med egen parallellsesjon for Husbanken",
        "starts_on": date(2014, 9, 1),
        "when_text": "Høsten 2014",
        "source": "L3740–3741",
    },
    {
        "key": "sor-conf-2014-11",
        "pairs": (pair_key("hb-sor", "imdi-sor"),),
        "offices": ("hb-sor", "imdi-sor"),
        "kind": "conference",
        "form": "each_others_arenas",
        "title": "Felles konferanse for flyktning- og boligkonsulenter i Agder og Telemark: «Er "
        "mangel på bolig den største utfordringen for bosetting av flyktninger»",
        "starts_on": date(2014, 11, 1),
        "when_text": "November 2014",
        "source": "L3742–3744",
    },
    {
        "key": "vest-includio-meetings",
        "pairs": (pair_key("hb-vest", "imdi-vest"),),
        "offices": ("hb-vest", "imdi-vest"),
        "kind": "municipality_meeting",
        "form": "joint_municipality_meetings",
        "title": "Husbanken med IMDi på møter med alle Includio-kommunene",
        "when_text": "Løpende per 2014",
        "source": "L3762",
    },
    {
        "key": "vest-regional-council",
        "pairs": (pair_key("hb-vest", "imdi-vest"),),
        "offices": ("hb-vest", "imdi-vest"),
        "kind": "network",
        "form": "programme_dialogue",
        "title": "IMDi i Husbankens regionråd for det boligsosiale velferdsprogrammet; med på å "
        "velge programkommuner",
        "when_text": "Løpende per 2014",
        "source": "L3770–3772",
    },
    {
        "key": "vest-project-18-25",
        "pairs": (pair_key("hb-vest", "imdi-vest"),),
        "offices": ("hb-vest", "imdi-vest"),
        "kind": "project",
        "title": "Samarbeidsprosjekt om bosetting og integrering av flyktninger mellom 18 og 25 år",
        "when_text": "Ikke datert i rapporten",
        "source": "L3776",
    },
    {
        "key": "vest-leader-forum",
        "pairs": (pair_key("hb-vest", "imdi-vest"),),
        "offices": ("hb-vest", "imdi-vest"),
        "kind": "forum",
        "title": "Samarbeidsforum i regional stat på ledernivå (Husbanken, Nav Fylke, Bufetat, "
        "Fylkesmannen i Hordaland)",
        "when_text": "Ikke datert i rapporten",
        "source": "L3778–3780",
    },
    {
        "key": "midt-gode-grep",
        "pairs": (pair_key("hb-midt", "imdi-midt"),),
        "offices": ("hb-midt", "imdi-midt"),
        "kind": "exchange",
        "form": "sharing_examples",
        "title": "Felles eksempelsamling «Gode grep»",
        "when_text": "Under arbeid per 2014",
        "source": "L2896–2897",
    },
    {
        "key": "midt-target-programme",
        "pairs": (pair_key("hb-midt", "imdi-midt"),),
        "offices": ("hb-midt", "imdi-midt"),
        "kind": "project",
        "form": "programme_dialogue",
        "title": "«God og effektiv bosetting av flyktninger»: 17 kommuner, tre seminarer over ett år",
        "when_text": "Ett år før juni 2014",
        "starts_on": date(2013, 6, 1),
        "ends_on": date(2014, 6, 30),
        "source": "L3789–3793",
    },
    {
        "key": "midt-municipality-visits",
        "pairs": (pair_key("hb-midt", "imdi-midt"),),
        "offices": ("hb-midt", "imdi-midt"),
        "kind": "municipality_meeting",
        "form": "joint_municipality_meetings",
        "title": "Felles møter med enkeltkommuner, særlig kommuner nye på bosetting",
        "when_text": "Relativt jevnlig per 2014",
        "source": "L3802–3804",
    },
    {
        "key": "nord-conference",
        "pairs": (pair_key("hb-bodo", "imdi-nord"), pair_key("hb-hammerfest", "imdi-nord")),
        "offices": ("hb-bodo", "hb-hammerfest", "imdi-nord"),
        "kind": "conference",
        "form": "each_others_arenas",
        "title": "IMDis integreringskonferanse kombinert med kommunelederkonferanse i forkant",
        "starts_on": date(2013, 1, 1),
        "when_text": "Årlig; kombinert fra 2013",
        "times_per_year": "1",
        "source": "L3828–3831",
    },
    {
        "key": "nord-brochure",
        "pairs": (pair_key("hb-bodo", "imdi-nord"), pair_key("hb-hammerfest", "imdi-nord")),
        "offices": ("hb-bodo", "hb-hammerfest", "imdi-nord"),
        "kind": "exchange",
        "form": "sharing_examples",
        "title": "Utvekslet foilsett, informasjon og FOU; felles brosjyre om virkemidler",
        "when_text": "Ikke datert i rapporten",
        "source": "L3839–3840",
    },
    {
        "key": "nord-joint-project",
        "pairs": (pair_key("hb-bodo", "imdi-nord"), pair_key("hb-hammerfest", "imdi-nord")),
        "offices": ("hb-bodo", "hb-hammerfest", "imdi-nord"),
        "kind": "project",
        "title": "Planlagt fellesprosjekt: felles kunnskapsgrunnlag, deretter pilotprosjekter i "
        "kommuner",
        "when_text": "Under planlegging per 2014",
        "source": "L3857–3860",
    },
)

# The coordination ladder. Only Midt is placed by the report (step four, L2906–2907); for the others
# the report says information is shared in every region (L3223–3224): step one as a lower bound.
LADDER: tuple[tuple[str, int, bool, str, str], ...] = (
    (pair_key("hb-midt", "imdi-midt"), 4, False,
     "Region midt «befinner seg på mange måter på trinn fire av koordineringstrappen».",
     "L2906–2907"),
    *(
        (key, 1, True,
         "Det deles informasjon og kunnskap i alle regioner, men i ulik grad; trinn 3–4 varierer "
         "mellom regionene. Rapporten plasserer ikke dette paret høyere.",
         "L3223–3232")
        for key in (
            pair_key("hb-ost", "imdi-ost"),
            pair_key("hb-ost", "imdi-indre-ost"),
            pair_key("hb-sor", "imdi-sor"),
            pair_key("hb-sor", "imdi-indre-ost"),
            pair_key("hb-sor", "imdi-ost"),
            pair_key("hb-vest", "imdi-vest"),
            pair_key("hb-bodo", "imdi-nord"),
            pair_key("hb-hammerfest", "imdi-nord"),
        )
    ),
)  # fmt: skip

# Municipal programmes per office (appendix). Counts as printed; members are not named in the report.
PROGRAMMES: tuple[dict, ...] = (
    {"key": "hb-ost-dev", "office": "hb-ost", "kind": "husbanken_development",
     "name": "Boligsosialt utviklingsprogram (Husbanken Øst)", "count": 14, "source": "L3699"},
    {"key": "imdi-indre-ost-partnership", "office": "imdi-indre-ost", "kind": "imdi_partnership",
     "name": "Kommunesatsing IMDi Indre Øst (under etablering)", "count": 7,
     "status": "Under etablering; samarbeid begynt med sju kommuner.", "source": "L3700–3701"},
    {"key": "imdi-ost-partnership", "office": "imdi-ost", "kind": "imdi_partnership",
     "name": "Kommunesamarbeid IMDi Øst", "count": 7, "count_text": "7 kommuner og 5 bydeler",
     "status": "Avtaler med sju kommuner og fem bydeler i Oslo.", "source": "L3701–3702"},
    {"key": "hb-sor-dev", "office": "hb-sor", "kind": "husbanken_development",
     "name": "Boligsosialt utviklingsprogram (Husbanken Sør)", "count": 11, "source": "L3732–3733"},
    {"key": "imdi-sor-partnership", "office": "imdi-sor", "kind": "imdi_partnership",
     "name": "Kommunesamarbeid IMDi Sør (under etablering)", "count": None, "count_text": "3–5",
     "status": "I ferd med å etablere; dialog med 3–5 kommuner om mer strukturert samarbeid.",
     "source": "L3733–3734"},
    {"key": "imdi-vest-includio", "office": "imdi-vest", "kind": "imdi_partnership",
     "name": "Includio 15", "count": 15,
     "status": "15 kommuner i tre fylker; ikke alle har signert, flere 3-årige avtaler.",
     "overlap": "Flere av de samme kommunene har avtale med både Husbanken og IMDi.",
     "source": "L3764–3766"},
    {"key": "hb-vest-welfare", "office": "hb-vest", "kind": "husbanken_development",
     "name": "Boligsosiale velferdsprogrammer (Husbanken Vest)", "count": 12,
     "overlap": "Flere av de samme kommunene har avtale med både Husbanken og IMDi.",
     "source": "L3766–3768"},
    {"key": "hb-midt-target", "office": "hb-midt", "kind": "husbanken_target_group",
     "name": "God og effektiv bosetting av flyktninger", "count": 17,
     "status": "Tre seminarer over ett år; tett samarbeid med IMDi.", "source": "L3789–3793"},
    {"key": "hb-midt-dev", "office": "hb-midt", "kind": "husbanken_development",
     "name": "Boligsosialt utviklingsprogram (Husbanken Midt-Norge)", "count": 10,
     "overlap": "Mye overlapp med IMDis K+-kommuner.", "source": "L3795–3796"},
    {"key": "imdi-midt-kpluss", "office": "imdi-midt", "kind": "imdi_partnership",
     "name": "K+", "count": 9, "overlap": "Mye overlapp med Husbankens satsingskommuner.",
     "source": "L3796–3798"},
    {"key": "hb-hammerfest-partnership", "office": "hb-hammerfest",
     "kind": "husbanken_development", "name": "Partnerskapssamarbeid (Hammerfest-kontoret)",
     "count": 4, "status": "Bosetting av flyktninger er integrert del av partnerskapsarbeidet.",
     "source": "L3844–3847"},
    {"key": "hb-bodo-partnership", "office": "hb-bodo", "kind": "husbanken_development",
     "name": "Partnerskapssamarbeid (Bodø-kontoret)", "count": 4,
     "status": "Bosetting av flyktninger er integrert del av partnerskapsarbeidet.",
     "source": "L3844–3847"},
    {"key": "hb-bodo-focus", "office": "hb-bodo", "kind": "husbanken_focus",
     "name": "Fokuskommuner (region Bodø)", "count": 9, "source": "L3846"},
    {"key": "hb-hammerfest-focus", "office": "hb-hammerfest", "kind": "husbanken_focus",
     "name": "Fokuskommuner (region Hammerfest)", "count": 5, "source": "L3846–3847"},
    {"key": "imdi-nord-partnership", "office": "imdi-nord", "kind": "imdi_partnership",
     "name": "Kommunesatsing IMDi Nord", "count": 13,
     "status": "Samarbeidsavtaler av 2 års varighet; hovedsakelig de største kommunene.",
     "overlap": "Flere sammenfaller med Husbankens samarbeidskommuner.", "source": "L3849–3851"},
)  # fmt: skip
