"""Small static SVG charts for the PDF report (WeasyPrint draws SVG natively; no browser needed)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 640, 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 12, 28, 46
COLOURS = ("#0b5cad", "#c77700", "#8a939c", "#1e7d32")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _frame(title: str, y_max: float, labels: Sequence[str], slot: float) -> list[str]:
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="10">',
        f'<text x="{MARGIN_LEFT}" y="16" font-size="12" font-weight="bold">{escape(title)}</text>',
    ]
    for i in range(5):
        value = y_max * i / 4
        y = MARGIN_TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d5dbe1" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{MARGIN_LEFT - 4}" y="{y + 3:.1f}" text-anchor="end">{value:,.0f}</text>'.replace(
                ",", "\u00a0"
            )
        )
    every = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % every:
            continue
        x = MARGIN_LEFT + slot * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 14}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    return parts


def _legend(names: Sequence[str]) -> list[str]:
    parts = []
    x = MARGIN_LEFT
    for i, name in enumerate(names):
        colour = COLOURS[i % len(COLOURS)]
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 16}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 7}">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    return parts


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
) -> str:
    """Grouped bars, one group per label; ``None`` draws nothing."""
    values = [v for s in series.values() for v in s if v is not None]
    y_max = _nice_max(max(values, default=0))
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_w / max(1, len(labels))
    parts = _frame(title, y_max, labels, slot)
    bar_w = slot * 0.8 / max(1, len(series))
    for j, (_name, data) in enumerate(series.items()):
        colour = COLOURS[j % len(COLOURS)]
        for i, value in enumerate(data):
            if value is None:
                continue
            h = plot_h * value / y_max
            x = MARGIN_LEFT + slot * i + slot * 0.1 + bar_w * j
            y = MARGIN_TOP + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(labels[i])}: {value}</title></rect>"
            )
    if len(series) > 1:
        parts += _legend(list(series))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
) -> str:
    """Lines with markers, one per series; gaps where the value is ``None``."""
    values = [v for s in series.values() for v in s if v is not None]
    y_max = _nice_max(max(values, default=0))
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_w / max(1, len(labels))
    parts = _frame(title, y_max, labels, slot)
    for j, (_name, data) in enumerate(series.items()):
        colour = COLOURS[j % len(COLOURS)]
        points = [
            (MARGIN_LEFT + slot * (i + 0.5), MARGIN_TOP + plot_h - plot_h * v / y_max)
            for i, v in enumerate(data)
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')
    parts += _legend(list(series))
    parts.append("</svg>")
    return "".join(parts)
