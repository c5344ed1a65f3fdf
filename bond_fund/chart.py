"""The fund over time as a server-rendered SVG (no JavaScript, no CDN). The page puts
a data table beside it for screen readers and for anyone who wants the numbers."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 640, 240, 32


@dataclass
class Chart:
    width: int
    height: int
    balance_points: str
    bars: list[dict]
    top_label: int
    zero_y: float


def fund_chart(series: list[dict]) -> Chart | None:
    """A line for the available balance at each month's end, bars for money in."""
    if not series:
        return None
    top = max(max(s["balance"] for s in series), max(s["inflow"] for s in series), 1)
    bottom = min(min(s["balance"] for s in series), 0)
    span = top - bottom or 1
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = inner_w / max(len(series), 1)

    def y(value):
        return PAD + inner_h * (top - value) / span

    points, bars = [], []
    for index, month in enumerate(series):
        x = PAD + step * index + step / 2
        points.append(f"{x:.1f},{y(month['balance']):.1f}")
        bar_top = y(month["inflow"])
        bars.append(
            {
                "x": round(x - step * 0.3, 1),
                "y": round(bar_top, 1),
                "width": round(step * 0.6, 1),
                "height": round(max(y(0) - bar_top, 0), 1),
                "month": month["month"],
            }
        )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        balance_points=" ".join(points),
        bars=bars,
        top_label=top,
        zero_y=round(y(0), 1),
    )
