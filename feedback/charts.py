"""Geometry for the server-rendered SVG charts (templates/feedback/partials/chart_*.html).

Charts only repeat figures that the page also shows as numbers in a table, so
they are images with a short text alternative."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .selectors import Comparison, ItemResult, Wellbeing

WIDTH = 640
LABEL_WIDTH = 170
ROW = 34
PLOT = WIDTH - LABEL_WIDTH - 20
# colours for 1 (full agreement) … 5 (no agreement); contrast with the white labels
SCALE_COLOURS = ["#0b5c63", "#3d7f85", "#767676", "#a8553a", "#8a2430"]
LEGEND_LABELS = [_("voll"), _("eher ja"), _("teils"), _("eher nicht"), _("gar nicht")]


def _x(mean: float) -> float:
    """Position of a mean on the 1–5 axis."""
    return LABEL_WIDTH + (mean - 1) / 4 * PLOT


@dataclass
class MeansRow:
    label: str
    y: float
    now: float | None
    before: float | None
    x_now: float | None
    x_before: float | None


def means_chart(rows: list[Comparison]) -> dict:
    """Dot plot of scale means, this year (filled) and the previous year (ring)."""
    plotted = [
        MeansRow(
            label=r.label,
            y=30 + i * ROW,
            now=r.now,
            before=r.before,
            x_now=_x(r.now) if r.now is not None else None,
            x_before=_x(r.before) if r.before is not None else None,
        )
        for i, r in enumerate(rows)
    ]
    height = 30 + len(rows) * ROW + 30
    ticks = [{"value": v, "x": _x(v)} for v in range(1, 6)]
    return {
        "width": WIDTH,
        "height": height,
        "rows": plotted,
        "ticks": ticks,
        "label_x": LABEL_WIDTH - 8,
        "legend_y": height - 14,
        "legend_x": LABEL_WIDTH,
    }


def distribution_chart(items: list[ItemResult]) -> dict:
    """100 % stacked bars of the answers 1–5 per scale item with enough answers."""
    items = [item for item in items if item.shown]
    rows = []
    for i, item in enumerate(items):
        x = LABEL_WIDTH
        segments = []
        for value, (bar, colour) in enumerate(zip(item.bars, SCALE_COLOURS, strict=False), start=1):
            width = bar.share * PLOT
            segments.append(
                {
                    "x": x,
                    "width": width,
                    "colour": colour,
                    "value": value,
                    "share": bar.share,
                    "mid": x + width / 2,
                }
            )
            x += width
        rows.append({"label": item.label, "y": 10 + i * ROW, "segments": segments})
    legend = [
        {"value": v, "colour": c, "x": LABEL_WIDTH + (v - 1) * 90, "label": label}
        for v, (c, label) in enumerate(zip(SCALE_COLOURS, LEGEND_LABELS, strict=True), start=1)
    ]
    return {
        "width": WIDTH,
        "height": 10 + len(items) * ROW + 34,
        "rows": rows,
        "legend": legend,
        "legend_y": 10 + len(items) * ROW + 10,
        "label_x": LABEL_WIDTH - 8,
    }


def wellbeing_chart(groups: list[tuple[str, Wellbeing]]) -> dict:
    """Mean WHO-5 before and after (0–100) per group, with the cut-off of 50."""
    height, top, bottom = 220, 20, 180
    scale = (bottom - top) / 100
    bars = []
    x = 60
    for label, w in groups:
        for kind, value, shown, colour in (
            ("vorher", w.mean_before, w.before_shown, "#767676"),
            ("nachher", w.mean_after, w.after_shown, "#0b5c63"),
        ):
            if shown and value is not None:
                bars.append(
                    {
                        "x": x,
                        "y": bottom - value * scale,
                        "height": value * scale,
                        "value": value,
                        "colour": colour,
                        "label": kind,
                    }
                )
            x += 70
        bars.append({"group": label, "x": x - 105})
        x += 40
    return {
        "width": max(x, 300),
        "height": height,
        "bars": [b for b in bars if "value" in b],
        "groups": [b for b in bars if "group" in b],
        "cutoff_y": bottom - 50 * scale,
        "bottom": bottom,
        "ticks": [{"value": v, "y": bottom - v * scale} for v in (0, 25, 50, 75, 100)],
    }
