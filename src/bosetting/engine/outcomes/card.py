"""The model card — "modellkort": what the model predicts, from what, how well, for whom it is
worse, and what it must not be used for. HTML from the model's own record; PDF through WeasyPrint.
"""

from __future__ import annotations

from html import escape
from os import PathLike
from pathlib import Path

from bosetting.engine.outcomes.features import CATEGORICAL, NUMERIC
from bosetting.engine.outcomes.model import MIN_SUBGROUP_ROWS, Metrics, OutcomeModel

GROUP_NAMES = {
    "sex": "Kjønn",
    "country_group": "Landgruppe",
    "household_type": "Husstandstype",
    "education": "Utdanning",
    "age_band": "Alder",
    "centrality": "Sentralitet (kommune)",
}

LIMITS = [
    "Modellen forutsier en sannsynlighet for en gruppe som ligner personen, ikke hva den enkelte vil "
    "gjøre. Den vet ikke om helse, språk, nettverk, motivasjon eller arbeidserfaring.",
    "Utdanning og kjønn er ofte ukjent på tidspunktet for utsøkingen; da brukes «ukjent», og "
    "prediksjonen blir mindre presis for den personen.",
    "Kommunens effekt er lært fra kommunens egenskaper (arbeidsmarked, størrelse, sentralitet, "
    "introduksjonsresultater), ikke fra navnet. Små kommuner med få bosatte tidligere er usikre.",
    "Tidligere utfall speiler tidligere praksis og arbeidsmarked. Endres arbeidsmarkedet, endres "
    "sammenhengen; modellen må trenes på nytt og kontrolleres per gruppe.",
    "Prediksjonen er ett av flere hensyn i poengsummen. Regelen «ingen gruppe dårligere stilt» "
    "hindrer at gevinster kjøpes ved å flytte en gruppe til dårligere steder. En saksbehandler "
    "avgjør alltid; forslaget kan overprøves.",
]


def _n(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}".replace(".", ",")


def _svg_curve(metrics: Metrics, size: int = 260) -> str:
    pad = 30
    inner = size - 2 * pad

    def xy(p: float, q: float) -> tuple[float, float]:
        return pad + p * inner, size - pad - q * inner

    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(p, q) for p, q, _ in metrics.reliability))
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"/>'
        for x, y in (xy(p, q) for p, q, _ in metrics.reliability)
    )
    x0, y0 = xy(0, 0)
    x1, y1 = xy(1, 1)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" role="img" '
        f'aria-label="Kalibreringskurve">'
        f'<rect x="{pad}" y="{pad}" width="{inner}" height="{inner}" fill="none" stroke="#999"/>'
        f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="#bbb" stroke-dasharray="4"/>'
        f'<polyline points="{points}" fill="none" stroke="#1f4e79" stroke-width="2"/>'
        f'<g fill="#1f4e79">{dots}</g>'
        f'<text x="{size / 2}" y="{size - 6}" text-anchor="middle" font-size="11">forventet</text>'
        f'<text x="10" y="{size / 2}" font-size="11" transform="rotate(-90 10 {size / 2})" '
        f'text-anchor="middle">observert</text></svg>'
    )


def _metrics_row(label: str, m: Metrics) -> str:
    small = m.rows < MIN_SUBGROUP_ROWS
    note = " (for få til å vurdere)" if small else ""
    gap = m.mean_predicted - m.positives
    return (
        f"<tr><td>{escape(label)}{note}</td><td class=num>{m.rows}</td>"
        f"<td class=num>{_n(100 * m.positives, 1)} %</td><td class=num>{_n(100 * m.mean_predicted, 1)} %</td>"
        f"<td class=num>{_n(100 * gap, 1)}</td><td class=num>{_n(m.auc)}</td><td class=num>{_n(m.brier)}</td></tr>"
    )


def card_html(model: OutcomeModel) -> str:
    """The model card as a standalone HTML page (bokmål)."""
    o = model.overall
    banner = (
        '<p class="synthetic">SYNTETISKE DATA: modellen er trent på oppdiktede personer. '
        "Tallene viser hvordan modellen virker, ikke hvordan flyktninger i Norge faktisk klarer seg.</p>"
        if model.synthetic
        else ""
    )
    header = (
        "<tr><th>Gruppe</th><th>Personer</th><th>Observert</th><th>Forventet</th>"
        "<th>Avvik (pp)</th><th>AUC</th><th>Brier</th></tr>"
    )
    groups = []
    worst: list[tuple[float, str]] = []
    for g, by_value in model.by_group.items():
        rows = "".join(_metrics_row(v, m) for v, m in by_value.items())
        groups.append(f"<h3>{escape(GROUP_NAMES.get(g, g))}</h3><table>{header}{rows}</table>")
        for v, m in by_value.items():
            if m.rows >= MIN_SUBGROUP_ROWS and m.auc is not None:
                worst.append((m.auc, f"{GROUP_NAMES.get(g, g)}: {v}"))
    worst.sort()
    weakest = ", ".join(f"{escape(name)} (AUC {_n(auc)})" for auc, name in worst[:3])
    coefs = sorted(model.coefficients.items(), key=lambda kv: -abs(kv[1]))[:15]
    coef_rows = "".join(
        f"<tr><td>{escape(name)}</td><td class=num>{_n(c, 2)}</td></tr>" for name, c in coefs
    )
    limits = "".join(f"<li>{escape(t)}</li>" for t in LIMITS)
    return f"""<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Modellkort: forventet arbeid eller utdanning</title>
<style>
body {{ font-family: sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.4; color: #222; }}
table {{ border-collapse: collapse; margin: .5rem 0 1rem; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .2rem .6rem; text-align: left; }}
.num {{ text-align: right; }} .synthetic {{ background: #fff3cd; border: 2px solid #c90; padding: .6rem; font-weight: bold; }}
</style></head><body>
<h1>Modellkort: forventet arbeid eller utdanning etter to år</h1>
{banner}
<h2>Hva modellen forutsier</h2>
<p>Sannsynligheten for at en voksen (18–55 år) er i arbeid eller utdanning to år etter bosetting,
gitt det som er kjent ved utsøkingen og kommunen personen bosettes i. Utsøkingen bruker
gjennomsnittet for husstandens voksne per kommune (<code>p_employment</code> i format
<code>bosetting.matching/2</code>).</p>
<h2>Fra hva</h2>
<p>Personens egenskaper: {", ".join(c for c in CATEGORICAL if c != "centrality")}, alder og måneder i
mottak. Kommunens egenskaper: arbeidsmarked (sysselsetting blant innvandrere), folketall,
sentralitet og resultater fra introduksjonsprogrammet. Numeriske egenskaper:
{", ".join(NUMERIC)}. Modell: logistisk regresjon med Platt-kalibrering.</p>
<h2>Data</h2>
<p>Fil {escape(model.data_file)}: {model.rows} personer bosatt {model.period[0]}–{model.period[1]}.
Trent {escape(model.trained_at)} med scikit-learn {escape(model.sklearn_version)}.</p>
<h2>Hvor godt (kryssvalidert, {5} fold)</h2>
<p>AUC {_n(o.auc)}, Brier {_n(o.brier)}; observert andel {_n(100 * o.positives, 1)} %,
forventet {_n(100 * o.mean_predicted, 1)} %. En AUC på 0,5 er tilfeldig, 1 er perfekt rangering.</p>
{_svg_curve(o)}
<h2>For hvem den er dårligere</h2>
<p>Svakest rangering: {weakest or "—"}. «Avvik» er forventet minus observert andel i
prosentpoeng: positivt betyr at modellen lover for mye for gruppen.</p>
{"".join(groups)}
<h2>Det modellen har lært (log-odds, største først)</h2>
<table><tr><th>Egenskap</th><th>Effekt</th></tr>{coef_rows}</table>
<h2>Kjente begrensninger</h2>
<ul>{limits}</ul>
</body></html>
"""


def write_card(
    model: OutcomeModel, html_path: str | PathLike[str], pdf_path: str | PathLike[str] | None
) -> None:
    """Write the card as HTML and, when asked, as PDF (WeasyPrint, loaded on first use)."""
    html = card_html(model)
    Path(html_path).write_text(html, encoding="utf-8")
    if pdf_path is not None:
        from weasyprint import HTML  # heavy: loaded only to draw the PDF

        HTML(string=html).write_pdf(str(pdf_path))
