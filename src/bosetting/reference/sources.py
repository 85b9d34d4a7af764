"""The data sets the system ships or makes, with source and licence (shown on the About page and by
``bosetting sources``). Text condensed from ``data/SOURCES.md``."""

from __future__ import annotations

from dataclasses import dataclass

SSB = "Statistisk sentralbyrå (SSB)"
SSB_LICENCE = "CC BY 4.0 (Kilde: SSB)"
IMDI = "Integrerings- og mangfoldsdirektoratet (IMDi)"
IMDI_LICENCE = "Ingen uttrykkelig lisens; antatt NLOD 2.0 (ikke bekreftet av IMDi). Kilde: IMDi"


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    licence: str
    origin: str
    caveats: str = ""
    synthetic: bool = False
    files: tuple[str, ...] = ()


SOURCES: tuple[Source, ...] = (
    Source(
        "kommuner-2014",
        "Kommuner og fylker 2014 (428 kommuner, 19 fylker) med folketall 1.1.2013–2015",
        SSB,
        SSB_LICENCE,
        "SSB tabell 07459 og KLASS 131, via GitHub gardenberg/imdikator-munch @101c0826",
        "Inderøy (1756) og Harstad (1903) mangler tall før sammenslåing.",
        files=("kommuner_2014_folketall.csv", "fylker_2014.csv"),
    ),
    Source(
        "kommuner-2024",
        "Kommuner og fylker 2024 (357 kommuner, 15 fylker) med folketall 1.1.2024–2026",
        SSB,
        "CC BY 4.0 (SSB); repositoriene MIT",
        "SSB tabell 07459 via GitHub niphr/csdata @59345122 og aprestmo/norway-geodata @97b15cd6",
        files=("kommuner_2024_folketall.csv", "fylker_2024.csv"),
    ),
    Source(
        "kommuneendringer",
        "Kommunenummer 2013–2020 og harmonisering 1994–2024",
        SSB,
        "CC BY 4.0 (SSB); repositoriene MIT",
        "SSB KLASS 131 via GitHub gardenberg/kommunekoder og lauriejh/regtools",
        "Delte kommuner er ført til 'Rest'.",
        files=(
            "kommunenummer_2013_2020_overgang.csv",
            "kommuner_1994_2024_harmonisert_til_2024.csv",
        ),
    ),
    Source(
        "imdi-bosetting-2012-2014",
        "Anmodninger, vedtak og bosatte per kommune 2012–2014",
        IMDI,
        IMDI_LICENCE,
        "GitHub gardenberg/imdikator-munch @101c0826 (IMDi-analytikers arbeidsfiler)",
        "Uttrekk fra ulike datoer; et eldre 2014-uttrekk gir 7 719 bosatte i stedet for 7 784.",
        files=("imdi_bosetting_kommune_2012_2014.csv", "imdi_bosetting_nasjonalt.csv"),
    ),
    Source(
        "imdi-bosetting-2024",
        "Nøkkeltall bosetting 2024 per kommune og fylke",
        IMDI,
        IMDI_LICENCE,
        "imdi.no 'Nøkkeltall bosetting 2024' (19.2.2025), lagret kopi i GitHub terchris/atlas @0465248c",
        "Prikket (1–4) er tomme celler.",
        files=("imdi_bosetting_kommune_2024.csv", "imdi_bosetting_fylke_2024.csv"),
    ),
    Source(
        "imdi-2022-2024",
        "Bosatte flyktninger etter kjønn og alder, enslige mindreårige, tilskudd 2022–2024",
        IMDI,
        IMDI_LICENCE,
        "GitHub Samarbeidsdesken/p02-ukraina @fc298da7",
        "Tall under 5 er prikket; summer er minimumstall.",
        files=(
            "imdi_bosatte_flyktninger_kjonn_alder_kommune_2022_2024.csv",
            "imdi_enslige_mindrearige_kommune_2022_2024.csv",
            "imdi_tilskudd_kommune_2022_2023.csv",
        ),
    ),
    Source(
        "asylmottak-2024",
        "Asylmottak med ukrainske beboere 31.1.2024",
        "Trolig UDI",
        "Ikke oppgitt",
        "GitHub Samarbeidsdesken/p02-ukraina @fc298da7",
        "Ikke en kapasitetsliste; teller bare ukrainske beboere.",
        files=("asylmottak_ukrainske_beboere_2024-01-31.csv",),
    ),
    Source(
        "sysselsetting-2006-2014",
        "Sysselsetting etter kommune og innvandrerbakgrunn 2006–2014",
        SSB,
        SSB_LICENCE,
        "SSB registerbasert sysselsetting via imdikator.no, GitHub gardenberg/imdikator-munch @101c0826",
        "Aldersgruppe (15–74) og kvartal (4.) er utledet, ikke oppgitt.",
        files=("sysselsetting_kommune_2006_2014.csv",),
    ),
    Source(
        "regionkontor-2014",
        "IMDis og Husbankens regionkontorer og fylkene de dekker (Tabell 5.1)",
        "Fafo 2015 (rapport for Husbanken og IMDi)",
        "Fakta gjengitt fra rapporten",
        "Fafo 2015, Tabell 5.1 (L2366–2452); Troms fordelt etter regionråd (tolkning for Karlsøy)",
    ),
    Source(
        "demoverden",
        "Demoverdenen: husholdninger, personer, boliger og mottak",
        "Bosetting (generert)",
        "Syntetisk — ingen ekte personer",
        "bosetting demo-world --seed N: tall per kommune fra IMDis reelle data, enkeltpersoner oppdiktet",
        "Syntetiske data. Antall bosatte per kommune og år stemmer med IMDis tall; alt om enkeltpersoner er oppdiktet.",
        synthetic=True,
    ),
)
