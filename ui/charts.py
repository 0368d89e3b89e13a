"""Plotly figures shared by pages. Every chart keeps Plotly's toolbar, so officials can save a PNG.

Read at a distance: chart text is at least 12 px (16 px in present mode), a value axis shows the
differences (and says so under the chart when it does not start at zero), target lines are labelled
in the legend, never on the bars, and trends draw the city bold over faded districts.
"""
from __future__ import annotations

import html
import math

import plotly.graph_objects as go

from ui import format as fmt
from ui import strings as S

# Chart text sizes in px: (normal, present). Nothing is drawn below MIN_TEXT.
TEXT = {"base": (14, 18), "tick": (14, 17), "legend": (13, 16), "label": (13, 16)}
MIN_TEXT = (12, 16)
GREY = "#C4C4C4"
# Okabe–Ito colours for chosen districts (not the status colours' blue/orange pair first).
HIGHLIGHT = ["#CC79A7", "#009E73", "#E69F00", "#56B4E9", "#D55E00", "#0072B2", "#F0E442"]


def text_size(kind: str, present: bool) -> int:
    return TEXT[kind][1 if present else 0]


def _nice_step(span: float) -> float:
    """1, 2 or 5 × 10^k: the smallest such step at least half the span (a cut axis shows 2–5 steps)."""
    raw = span / 2
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def value_range(values, unit: str = "", extra=(), axis: str | None = None) -> tuple[list[float] | None, str | None]:
    """The value axis for `values` (and `extra`: targets, the expected path) and the note to print under
    the chart when the axis does not start at zero.

    The rule: an axis starts at zero unless the figures all sit high above it — everything positive and
    the spread (max − min) less than half the largest figure (94–96 % against a 95 % target). Then it
    starts below the smallest figure at a round step (1, 2 or 5 × 10^k, at least half the spread), and
    the note says where: "纵轴从93%起" (`axis`: 横轴 for horizontal bars). Negative figures and empty charts are left to Plotly (None, None).
    The top leaves room above the largest figure for the labels over bars and points.
    """
    xs = [float(v) for v in [*values, *extra] if not fmt.missing(v) and math.isfinite(float(v))]
    if not xs or min(xs) < 0:
        return None, None
    lo, hi = min(xs), max(xs)
    if hi == 0:
        return None, None
    span = max(hi - lo, hi * 0.04)   # a single figure, or identical ones, still get a readable scale
    top = hi + max(span * 0.15, hi * 0.02)
    if lo == 0 or hi - lo >= hi / 2:
        return [0, top + hi * 0.06], None
    step = _nice_step(span)
    start = math.floor((lo - span * 0.25) / step) * step
    if start <= 0:
        return [0, top + hi * 0.06], None
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    shown = f"{start:,.{decimals}f}{unit}" if unit in ("%", "‰") else f"{start:,.{decimals}f}{' ' + unit if unit else ''}"
    return [start, top], S.AXIS_CUT.format(axis=axis or S.AXIS_Y, start=shown)


def target_line(fig: go.Figure, y: float, label: str, provisional: bool = False, level: str = "市",
                vertical: bool = False) -> go.Figure:
    """A target line (horizontal; `vertical` for horizontal bars) whose label is a legend entry: never
    drawn over bars, points or labels. A placeholder (待确认) target is faint and dotted."""
    dashes = {"市": "dash", "国家": "dot", "省": "dashdot", "县": "longdash"}
    dash = "dot" if provisional else dashes.get(level, "dash")
    colour = "#999999" if provisional else "#D55E00"
    (fig.add_vline if vertical else fig.add_hline)(y, line_dash=dash, line_color=colour, line_width=2)
    # a line with no points: it only puts the label, with the line's look, into the legend
    fig.add_scatter(x=[None], y=[None], mode="lines", name=label, line=dict(dash=dash, color=colour, width=2),
                    hoverinfo="skip")
    return fig


MAX_LINES = 40   # above this many districts, the rest of them are drawn as one band, not a line each
EDGE_LINES = 3   # … but the best and the worst few of the latest year keep their lines


def trend(city, districts, chosen=(), unit: str = "", city_labels=(), present: bool = False) -> go.Figure:
    """Lines over years: the city bold and labelled; every district a thin grey line (one legend entry);
    the districts in `chosen` (codes) coloured and named. `city`/`districts` are progress rows.
    With more than MAX_LINES districts (a province's counties), the rest is one grey band from the lowest
    to the highest figure of each year, with lines for the EDGE_LINES best and worst of the latest year."""
    fig = go.Figure()
    others = districts[~districts["district_code"].isin(chosen)]
    if others["district_code"].nunique() > MAX_LINES:
        spread = others.dropna(subset=["value"]).groupby("year")["value"].agg(["min", "max"]).reset_index()
        fig.add_scatter(x=spread["year"], y=spread["min"], mode="lines", line=dict(width=0), hoverinfo="skip",
                        showlegend=False)
        fig.add_scatter(x=spread["year"], y=spread["max"], mode="lines", line=dict(width=0), fill="tonexty",
                        fillcolor="rgba(196,196,196,0.45)", hoverinfo="skip",
                        name=S.TREND_DISTRICT_RANGE.format(n=others["district_code"].nunique()))
        latest = others.dropna(subset=["value"])
        latest = latest[latest["year"] == latest["year"].max()].sort_values("value")
        edges = set(latest["district_code"].head(EDGE_LINES)) | set(latest["district_code"].tail(EDGE_LINES))
        districts = districts[districts["district_code"].isin(edges | set(chosen))]
    # the grey lines are one trace, broken between districts by a gap: a trace per district cost 5 ms each
    grey = districts[~districts["district_code"].isin(chosen)].sort_values(["district_code", "year"], kind="stable")
    if not grey.empty:
        breaks = grey["district_code"].ne(grey["district_code"].shift(-1)).tolist()
        x, y, names = [], [], []
        for year, value, name, last in zip(grey["year"], grey["value"], grey["district"], breaks):
            x.append(year)
            y.append(value)
            names.append(html.escape(str(name)))
            if last:
                x.append(None)
                y.append(None)
                names.append("")
        fig.add_scatter(x=x, y=y, text=names, name=S.TREND_OTHER_DISTRICTS, legendgroup="districts",
                        mode="lines", line=dict(width=1.2, color=GREY), connectgaps=False,
                        hovertemplate="%{text} %{x}：%{y}<extra></extra>")
    for k, code in enumerate(c for c in chosen if c in set(districts["district_code"])):
        g = districts[districts["district_code"] == code].sort_values("year")
        fig.add_scatter(x=g["year"], y=g["value"], name=g["district"].iloc[0], mode="lines+markers",
                        line=dict(width=3, color=HIGHLIGHT[k % len(HIGHLIGHT)]), marker=dict(size=8))
    fig.add_scatter(x=city["year"], y=city["value"], name=S.CITY_LINE, mode="lines+markers+text",
                    line=dict(width=5, color="#000000"), marker=dict(size=10), text=list(city_labels),
                    textposition="top center", cliponaxis=False,
                    textfont=dict(size=text_size("label", present) + 1, color="#000000"))
    return fig


def stacked_bars(summary, label_column: str, height: int, present: bool = False) -> go.Figure:
    """Horizontal bars of status counts, one colour (and legend mark) per status word."""
    fig = go.Figure()
    # a count is written inside its segment only where the segment is wide enough to hold it; the
    # narrow ones (1 of 30) show their count on hover, never digits run together ("111")
    widest = max(float(summary[list(fmt.STATUS_ORDER)].sum(axis=1).max()), 1.0) if len(summary) else 1.0
    for word in fmt.STATUS_ORDER:
        fig.add_bar(y=summary[label_column], x=summary[word], name=fmt.status(word), orientation="h",
                    marker_color=fmt.colour(word), text=[str(int(n)) if n >= widest * 0.05 else "" for n in summary[word]],
                    textposition="inside", textangle=0, constraintext="none",
                    insidetextfont=dict(color="white", size=text_size("label", present) + 1))
    style(fig, height, present)
    fig.update_layout(barmode="stack", yaxis=dict(autorange="reversed"))
    return fig


def style(fig: go.Figure, height: int, present: bool = False) -> go.Figure:
    """House style for a projector: larger, darker type (larger still in present mode); legend in a fixed
    order below the plot. Every text of the figure — traces, annotations, colour bars — is raised to at
    least 12 px (16 px in present mode), so call it after the traces and lines are added."""
    k = 1 if present else 0
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                      font=dict(size=TEXT["base"][k], color="#222222"),
                      legend=dict(orientation="h", y=-0.15, yanchor="top", traceorder="normal",
                                  font=dict(size=TEXT["legend"][k])),
                      plot_bgcolor="white", hoverlabel=dict(font=dict(size=TEXT["base"][k])))
    fig.update_xaxes(tickfont=dict(size=TEXT["tick"][k], color="#333333"), gridcolor="#E5E5E5")
    fig.update_yaxes(tickfont=dict(size=TEXT["tick"][k], color="#333333"), gridcolor="#E5E5E5")
    floor = MIN_TEXT[k]
    for trace in fig.data:
        for attr in ("textfont", "insidetextfont", "outsidetextfont"):
            font = getattr(trace, attr, None)
            if font is not None and font.size is not None and font.size < floor:
                font.size = floor
        bar = getattr(trace, "colorbar", None)
        if bar is not None:
            bar.tickfont = dict(size=max(floor, TEXT["tick"][k] - 1))
    for note in fig.layout.annotations:
        if note.font.size is None or note.font.size < floor:
            note.font.size = max(floor, TEXT["label"][k])
    return fig


PART_COLOURS = {"性别": "#0072B2", "年龄组": "#009E73", "城乡": "#E69F00"}


def part_bars(rows, unit: str, label_column: str, present: bool = False, colour_by: str = "dimension") -> go.Figure:
    """Horizontal bars of a breakdown: one bar per row of `rows` (labelled by `label_column`), coloured by
    dimension or by part, the value written beside each bar. The axis follows `value_range`."""
    fig = go.Figure()
    for key, group in rows.groupby(colour_by, sort=False):
        colour = PART_COLOURS.get(key) or HIGHLIGHT[list(dict.fromkeys(rows[colour_by])).index(key) % len(HIGHLIGHT)]
        fig.add_bar(y=[html.escape(str(v)) for v in group[label_column]], x=group["value"], orientation="h",
                    name=html.escape(str(key)), marker_color=colour,
                    text=[fmt.value(v, unit) for v in group["value"]], textposition="outside", textangle=0,
                    constraintext="none", cliponaxis=False,
                    hovertext=[f"{html.escape(str(r[label_column]))}：{fmt.figure(r['numerator'], r['denominator'], r['value'])}"
                               for r in group.to_dict("records")], hoverinfo="text")
    labels = list(dict.fromkeys(html.escape(str(v)) for v in rows[label_column]))
    style(fig, max(220, len(labels) * (22 + 16 * len(fig.data)) + 110), present)
    fig.update_layout(barmode="group", margin=dict(t=10, r=110 if present else 90), legend=dict(y=-0.1),
                      yaxis=dict(categoryorder="array", categoryarray=labels, autorange="reversed"), bargap=0.25)
    return fig
