"""The six case municipalities of chapter 4 of the report (Fafo 2015, L1909–2339) as structured
good-practice examples. Figures are the report's, each with its line range; ``checks`` compare a
figure with the shipped 2014 data (SSB population, IMDi settled counts) in ``services``."""

from __future__ import annotations

REPORT = "Fafo 2015"

EXAMPLES: tuple[dict, ...] = (
    {
        "slug": "lillehammer-kjop-av-egen-bolig",
        "municipality": "0501",
        "title": "Bistand til kjøp av egen bolig",
        "problem": (
            "Flyktninger i kommunale boliger ble boende lenge. Før fantes bare lånesaksbehandlere, "
            "og flyktningers lånetilsagn falt bort etter tre måneder fordi de ikke visste hva de "
            "skulle gjøre. Høgskolen med om lag 3900 studenter øker konkurransen i leiemarkedet."
        ),
        "solution": (
            "Kommunale leietakere som ønsker å kjøpe, får hjelp hele veien: vurdering av økonomien, "
            "hjemmebesøk og hjelp med søknaden, og etter godkjenning hjelp til å finne bolig, "
            "budrunder og tilleggsfinansiering. Voksenopplæringen tar bolig inn i norskundervisningen "
            "på alle nivåer. Kommunen understreker at kommunal bolig er midlertidig."
        ),
        "organisation": (
            "Boligarbeidet er samlet i et boligsosialt team med 3,5 stillinger; en halv stilling er "
            "øremerket hjelp til kommunale leietakere som vil kjøpe."
        ),
        "instruments": ["startlån", "tilskudd til etablering", "boveiledning", "norskopplæring"],
        "results": (
            "Mellom 15 og 20 har kjøpt egen bolig, og interessen har økt gjennom «jungeltelegrafen». "
            "Den faste medarbeideren er kjent og har tillit blant flyktningene."
        ),
        "population": 27000,
        "population_note": "«drøyt 27 000» ved inngangen til 2015",
        "settled_per_year": 45,
        "settled_note": "om lag 45 per år i tillegg til familiegjenforente",
        "immigrant_share_pct": 10.6,
        "municipal_dwellings": 350,
        "housing_note": "om lag 350 kommunale boliger; mulighet for å leie privat",
        "labour_market": (
            "Regionsenter for Gudbrandsdalen; arbeidsmarkedet preges av handel og service etter at "
            "industrien har fått mindre betydning."
        ),
        "economy": "",
        "intro_to_work_pct": None,
        "source_lines": "L1927–2011",
        "citations": {
            "problem": "L1936–1937, L1961–1963",
            "solution": "L1947–1990, L2000–2011",
            "organisation": "L1945–1948",
            "results": "L1995–1999",
            "context": "L1929–1945",
        },
        "checks": {"population": (2015, 27000), "settled_2013": None},
    },
    {
        "slug": "kristiansund-foreldreskole-stabile-boliger",
        "municipality": "1505",
        "title": "Foreldreskole for innvandrere og stabile boliger for barnefamilier",
        "problem": (
            "Levekårsutfordringer, og sterk vekst i innbyggere med innvandrerbakgrunn (fra 1198 i "
            "2008 til 2250 i 2013). Barnefamilier i kommunale utleieboliger trenger stabile og gode "
            "boforhold."
        ),
        "solution": (
            "En foreldreskole for innvandrere i levekårssatsingen for utsatte barn, unge og deres "
            "familier, med boveiledning over flere dager (bo, rengjøre, vedlikeholde). Prosjektet "
            "«Stabile og gode boliger for barnefamilier» har eie som førstevalg, ellers bedre bolig "
            "eller bomiljø. Kommunen søker andre kommuners erfaring med privat leie og kjøp."
        ),
        "organisation": (
            "Godt samarbeid mellom NAV, flyktningtjenesten og enheten for bygg og eiendom: kort "
            "fysisk avstand og lav terskel for kontakt."
        ),
        "instruments": ["kompetansetilskudd (Husbanken)", "startlån", "boveiledning"],
        "results": "Prosjektet har vært støttet av Husbanken siden 2013; levekårssatsingen går til 2015.",
        "population": 24395,
        "population_note": "24 395 per 1.1.2014",
        "settled_per_year": 40,
        "settled_note": "vedtak om 40 per år, økt til 50",
        "immigrant_share_pct": 11.2,
        "municipal_dwellings": 620,
        "housing_note": "620 kommunale boliger for ulike grupper",
        "labour_market": "Ett av tre regionsentre i Møre og Romsdal.",
        "economy": "",
        "intro_to_work_pct": None,
        "source_lines": "L2013–2051",
        "citations": {
            "problem": "L2015–2022",
            "solution": "L2023–2030, L2044–2051",
            "organisation": "L2036–2043",
            "results": "L2044–2047",
            "context": "L2015–2033",
        },
        "checks": {"population": (2014, 24395)},
    },
    {
        "slug": "bergen-selvbosetting-privat-leie",
        "municipality": "1201",
        "title": "Selvbosetting i det private leiemarkedet",
        "problem": (
            "Betydelig mangel på kommunale boliger og konkurranse om dem: rundt 25 prosent er "
            "forbeholdt flyktninger, og rundt 600 sto i kø for kommunal bolig i september 2014. "
            "Kommunen skal bosette 350 per år."
        ),
        "solution": (
            "De fleste finner selv bolig i det private leiemarkedet (rundt 75 prosent i 2014), "
            "særlig unge enslige menn, gjennom venner, familie og nettverk. Kommunen fremleier ingen "
            "leiligheter; én ansatt følger opp huseiere og utleiere og går gjennom kontraktene. "
            "Barnefamilier går for det meste til kommunale boliger."
        ),
        "organisation": "Sentralt styrt bosetting; introduksjonssenteret følger opp deltakerne.",
        "instruments": ["selvbosetting", "privat leiemarked", "bostøtte", "depositumsgaranti"],
        "results": (
            "Gjør det mulig å bosette mange («en stor suksess» sett fra sentralt hold). Ansatte ved "
            "introduksjonssenteret ser ulempene: ustabilitet, bostedsløshet og fravær fra "
            "undervisningen."
        ),
        "population": 272000,
        "population_note": "272 000 per 1.1.2014",
        "settled_per_year": 350,
        "settled_note": "vedtak 350 per år 2014–2016 + om lag 100 familiegjenforente; 314 bosatt i 2013",
        "immigrant_share_pct": 15.5,
        "municipal_dwellings": None,
        "housing_note": "mangel på kommunale boliger; rundt 25 % forbeholdt flyktninger",
        "labour_market": "Norges nest største by; mange vanskeligstilte med rus- og psykiatriproblemer.",
        "economy": "",
        "intro_to_work_pct": 41.9,
        "source_lines": "L2053–2114",
        "citations": {
            "problem": "L2064–2068",
            "solution": "L2070–2080",
            "results": "L2085–2105",
            "context": "L2055–2068",
        },
        "checks": {"population": (2014, 272000), "settled_2013": 314},
    },
    {
        "slug": "hammerfest-uformell-praksis",
        "municipality": "2004",
        "title": "Uformell praksis: flyktningtjenesten som «interne aktivister»",
        "problem": (
            "For få kommunale boliger, som ikke brukes til bosetting. Gjennomstrømningsproblemer i "
            "private boliger som kommunen fremleier."
        ),
        "solution": (
            "Innvandrertjenesten gjør nesten alt boligarbeidet selv: kartlegging, individuelle "
            "kvalifiseringsplaner, oppfølging av bolig, lokalsamfunn og integrering. Voksenopplæringen "
            "har en obligatorisk boskole i introduksjonsprogrammet. Tjenesten er nå mer aktiv i å få "
            "folk videre."
        ),
        "organisation": (
            "Høy autonomi og tillit fra ledelsen («et tveegget sverd»); lederen sitter i "
            "tildelingsutvalget for boliger. Uformelt og personavhengig – sårbart når avtaler ikke "
            "skrives ned."
        ),
        "instruments": [
            "private leieavtaler med fremleie",
            "boskole",
            "kompetansetilskudd (Husbanken)",
        ],
        "results": (
            "IMDis bosettingspris 2013. Over 72,3 prosent i arbeid eller utdanning etter "
            "introduksjonsprogrammet (landet 44,2). Husbanken-finansiert kartlegging «Liten by – "
            "store boligutfordringer» med delprosjekt om kjøp av fem utleieboliger."
        ),
        "population": 10300,
        "population_note": "10 300 per januar 2014",
        "settled_per_year": 30,
        "settled_note": "treårig vedtak 2014–2017, 30 per år; 3,3 bosatte per 1000",
        "immigrant_share_pct": 16.2,
        "municipal_dwellings": None,
        "housing_note": "for få kommunale boliger; brukes ikke til bosetting",
        "labour_market": "Godt, ikke minst gassanlegget på Melkøya (Snøhvit).",
        "economy": "",
        "intro_to_work_pct": 72.3,
        "source_lines": "L2116–2192",
        "citations": {
            "problem": "L2160–2170",
            "solution": "L2135–2150, L2168–2170",
            "organisation": "L2150–2160, L2184–2192",
            "results": "L2121–2130, L2172–2175",
            "context": "L2118–2133",
        },
        "checks": {"population": (2014, 10300)},
    },
    {
        "slug": "baerum-boveiledning-tre-spor",
        "municipality": "0219",
        "title": "Boveiledning og bosetting langs tre spor",
        "problem": (
            "Høye boligpriser; mangel på både store og små boliger; noen boliger med helseskadelig "
            "standard; øst–vest-segregering og opphopning av kommunale boliger; «vanntette skott» "
            "mellom tjenestene."
        ),
        "solution": (
            "Bosetting langs tre spor: kommunale boliger, det private leiemarkedet via boligkontoret, "
            "og egenbosetting. Vekt på forsvarlig framfor rask bosetting, boveiledning, sosiale "
            "nettverk og frivillige."
        ),
        "organisation": (
            "Flyktningkontoret bosetter og driver introduksjonsprogrammet i samarbeid med "
            "boligkontoret, eiendomsforvaltningen og IMDi."
        ),
        "instruments": ["kommunale boliger", "privat leiemarked", "egenbosetting", "boveiledning"],
        "results": "61,3 prosent i arbeid eller utdanning etter introduksjonsprogrammet 2011–2013.",
        "population": 118000,
        "population_note": "118 000 per 1.1.2015",
        "settled_per_year": 133,
        "settled_note": "400 i alt 2014–2016 (+45 fra desember 2014); 91 bosatt i 2013 av vedtak på 135",
        "immigrant_share_pct": 18.7,
        "municipal_dwellings": None,
        "housing_note": "vanskelig å utvide boligmassen (høye priser)",
        "labour_market": "Akershus; administrasjonssenter Sandvika.",
        "economy": "Høye boligpriser.",
        "intro_to_work_pct": 61.3,
        "source_lines": "L2194–2265",
        "citations": {
            "problem": "L2236–2262",
            "solution": "L2207–2230",
            "organisation": "L2206–2215",
            "results": "L2203–2205",
            "context": "L2196–2205",
        },
        "checks": {"population": (2015, 118000), "settled_2013": 91},
    },
    {
        "slug": "kvinesdal-samlet-i-nav",
        "municipality": "1037",
        "title": "Bosetting og velferdstjenester samlet i NAV",
        "problem": (
            "En liten kommune med sterk økning i innvandrerandelen, og et desentralisert mottak med "
            "160 asylsøkere som konkurrerer om de samme leieboligene. For 2015: «Vi begynner med "
            "ingen boliger»."
        ),
        "solution": (
            "NAV skaffer bolig, følger opp flyktningene og koordinerer introduksjonsprogrammet. "
            "Bosetting er en ordinær kommunal driftsoppgave med god planlegging. Mer vekt på "
            "gjennomstrømning: fra leie til eie, og leietakere som kan skaffe bolig selv får oppsigelse. "
            "Kommunen stiller som garantist i det private leiemarkedet og bygger flere boliger."
        ),
        "organisation": (
            "Sosialtjeneste, ruskonsulent, flyktningarbeid og Husbankens ordninger er samlokalisert i "
            "NAV, med fire flyktningkonsulenter."
        ),
        "instruments": ["startlån", "kommunal garanti", "kommunale boliger", "privat leiemarked"],
        "results": (
            "Gode resultater med overgang fra leie til eie (også burmesiske flyktninger). 51,9 prosent "
            "i arbeid eller utdanning etter introduksjonsprogrammet 2011–2013."
        ),
        "population": 5800,
        "population_note": "«rundt 5800»",
        "settled_per_year": 27,
        "settled_note": "vedtak om 80 over 2014–2016; 25 bosatt i 2013 (4,2 per 1000)",
        "immigrant_share_pct": 8.7,
        "municipal_dwellings": 40,
        "housing_note": "40 kommunale boliger, hvorav 15 for personer med rusproblematikk",
        "labour_market": "Liten kommune i Vest-Agder.",
        "economy": "Kraftkommune med relativt god økonomi.",
        "intro_to_work_pct": 51.9,
        "source_lines": "L2267–2322",
        "citations": {
            "problem": "L2272–2274, L2310–2322",
            "solution": "L2281–2290, L2300–2315",
            "organisation": "L2286–2292",
            "results": "L2274–2276, L2300–2310",
            "context": "L2270–2281",
        },
        "checks": {"population": (2014, 5800), "settled_2013": 25},
    },
)
