"""The briefing as one self-contained web page: the same head and sections as the Word document, with
interactive Plotly charts whose library is inlined once. Nothing is loaded from a URL, and every text
that came from a file or the catalog is escaped, never read as markup."""
from __future__ import annotations

import html

import plotly.graph_objects as go

from metrics.meeting import MeetingPack
from ui import format as fmt

from . import formatting as F
from . import words as W
from .sections import Table, cover, file_stem, sections, shown

FONT_STACK = ('"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", '
              '"WenQuanYi Micro Hei", sans-serif')
CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f6f7f9;color:#1f2933;font-family:%(font)s;font-size:16px;line-height:1.55}
main{max-width:980px;margin:0 auto;padding:12px 14px 40px;background:#fff}
.demo{background:#fdecea;color:#8b0000;border-left:6px solid #c00000;padding:10px 12px;font-weight:bold;margin:0 0 10px}
header.masthead{text-align:center;margin:.6em 0 .4em}
h1{font-size:1.7rem;margin:.2em 0 .1em;letter-spacing:.05em}
.issue{margin:0 0 .5em}
.issued{display:flex;justify-content:space-between;flex-wrap:wrap;gap:4px 12px;border-bottom:3px solid #1f2933;
        padding-bottom:4px;text-align:left}
.meta{color:#52606d;font-size:.9rem;margin:.4em 0 .8em}
h2{font-size:1.2rem;margin:1.6em 0 .4em;padding-bottom:.2em;border-bottom:2px solid #d9e2ec}
h3{font-size:1.02rem;margin:1.1em 0 .3em}
section.annex{margin-top:2.5em}
.intro{color:#334e68}
section.overview .intro{font-size:1.05rem;background:#f0f4f8;padding:10px 12px;border-radius:6px;color:#1f2933}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.3em 0 1em}
table{border-collapse:collapse;width:100%%;font-size:.9rem}
th,td{border:1px solid #d9e2ec;padding:6px 7px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
td.nowrap{white-space:nowrap}
th{background:#e8eef4;white-space:nowrap}
td .sub{display:block;color:#52606d;font-size:.82rem}
tr.alert td:last-child, tr.alert td:last-child .sub{color:#c00000;font-weight:bold}
.chart{width:100%%;margin:.4em 0}
.empty{color:#52606d}
footer{color:#7b8794;font-size:.8rem;margin-top:2em}
@media (max-width:480px){body{font-size:15px} main{padding:10px 10px 30px} th,td{padding:5px}}
""" % {"font": FONT_STACK}
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoomIn2d", "zoomOut2d"]}


def _wrap(text: str, width: int = 9) -> str:
    return "<br>".join(text[i:i + width] for i in range(0, len(text), width))


def _figure_style(fig: go.Figure, height: int, title: str) -> go.Figure:
    fig.update_layout(height=height, title=dict(text=title, font=dict(size=15), x=0, xanchor="left"),
                      margin=dict(l=8, r=16, t=42, b=8), font=dict(family=FONT_STACK, size=13, color="#222222"),
                      plot_bgcolor="white", paper_bgcolor="white", showlegend=False, dragmode=False)
    fig.update_xaxes(gridcolor="#E5E5E5", automargin=True, fixedrange=True)
    fig.update_yaxes(automargin=True, fixedrange=True, autorange="reversed")
    return fig


def status_chart(pack: MeetingPack) -> go.Figure:
    """Headline status counts, one bar per status in its ui.format colour, labelled with mark and word."""
    h = pack.headline
    labels = [F.status(w) for w in h["status"]]
    hover = [W.HOVER_STATUS.format(status=F.status(w), n=int(c)) + (
        "" if fmt.missing(ch) else W.HOVER_CHANGE.format(change=fmt.change(ch, W.ITEMS)))
        for w, c, ch in zip(h["status"], h["count"], h["change"])]
    fig = go.Figure(go.Bar(y=labels, x=[int(c) for c in h["count"]], orientation="h",
                           marker_color=[fmt.colour(w) for w in h["status"]], text=[int(c) for c in h["count"]],
                           textposition="outside", cliponaxis=False, hovertext=hover, hoverinfo="text"))
    _figure_style(fig, 280, W.CHART_STATUS.format(year=pack.year, place=pack.place))
    fig.update_xaxes(rangemode="tozero")
    return fig


def lagging_chart(pack: MeetingPack, limit: int = 20) -> go.Figure | None:
    """Attainment (value ÷ target) of the lagging indicators: the city's, or the first districts' when the
    city has none; a line marks the target (100%)."""
    lag = pack.lagging[pack.lagging["attainment"].notna()]
    if lag.empty:
        return None
    city = lag[lag["is_city"]] if "is_city" in lag else lag.iloc[0:0]
    rows = city if not city.empty else lag.head(limit)
    title = W.CHART_LAGGING.format(place=pack.place) if not city.empty else W.CHART_LAGGING_DISTRICTS.format(n=len(rows))
    labels = [_wrap(n if not city.empty else f"{n}（{d}）") for n, d in zip(rows["indicator_name"], rows["district"])]
    # distinct labels even when two rows share a name
    labels = [f"{label}{' ' * k}" for k, label in enumerate(labels)] if len(set(labels)) < len(labels) else labels
    hover = [W.HOVER_LAGGING.format(name=n, district=d, status=F.status(s), value=fmt.value(v, u),
                                    target=fmt.value(t, u), gap=g)
             for n, d, s, v, u, t, g in zip(rows["indicator_name"], rows["district"], rows["status"], rows["value"],
                                           rows["unit"], rows["target"], rows["gap_text"].fillna(""))]
    # On the bar: what is still missing. (A share rounded to one decimal reads "100.0%" for 99.97%.)
    text = [g if isinstance(g, str) and g else fmt.share(a) for g, a in zip(rows["gap_text"], rows["attainment"])]
    x = [a * 100 for a in rows["attainment"]]
    fig = go.Figure()
    for word in fmt.STATUS_ORDER:  # one trace per status: the legend names each colour with mark and word
        pick = [i for i, s in enumerate(rows["status"]) if s == word]
        if pick:
            fig.add_bar(y=[labels[i] for i in pick], x=[x[i] for i in pick], orientation="h", name=F.status(word),
                        marker_color=fmt.colour(word), text=[text[i] for i in pick], textposition="auto",
                        insidetextanchor="start", textfont=dict(color="#1a1a1a", size=12),
                        hovertext=[hover[i] for i in pick], hoverinfo="text")
    lines = max(label.count("<br>") + 1 for label in labels)
    _figure_style(fig, 110 + max(40, 17 * lines + 14) * len(rows), title)
    fig.update_layout(barmode="overlay", showlegend=True,
                      legend=dict(orientation="h", x=0, y=1, yanchor="bottom", font=dict(size=12)),
                      margin=dict(t=70))
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    fig.add_vline(x=100, line=dict(color="#333333", dash="dash", width=1))
    fig.update_xaxes(range=[0, max(105.0, float(rows["attainment"].max()) * 100 + 3)], ticksuffix="%", dtick=25)
    return fig


def _cell(lines: list[str]) -> str:
    if not lines:
        return ""
    return html.escape(lines[0]) + "".join(f'<span class="sub">{html.escape(x)}</span>' for x in lines[1:])


NOWRAP = ' class="nowrap"'


def _table(t: Table) -> str:
    if not t.rows:
        return f'<p class="empty">{html.escape(t.empty)}</p>'
    head = "".join(f"<th>{html.escape(c)}</th>" for c in t.columns)
    body = []
    for i, row in enumerate(t.rows):
        cls = ' class="alert"' if t.alert and t.alert[i] else ""
        cells = "".join(f"<td{NOWRAP if j in t.nowrap else ''}>{_cell(c)}</td>" for j, c in enumerate(row))
        body.append(f"<tr{cls}>{cells}</tr>")
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def to_html(pack: MeetingPack) -> str:
    charts = {"status": status_chart(pack), "lagging": lagging_chart(pack)}
    inlined = False
    c = cover(pack)
    e = html.escape
    out = [f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           f"<title>{e(c.title)} {e(c.issue)} · {e(file_stem(pack))}</title>\n<style>{CSS}</style>\n"
           f"</head>\n<body>\n<main>\n"]
    if pack.demo:
        out.append(f'<div class="demo" role="note">{e(W.DEMO_MARK)}</div>\n')
    out.append(f'<header class="masthead">\n<h1>{e(c.title)}</h1>\n<p class="issue">{e(c.issue)}</p>\n'
               f'<div class="issued"><span>{e(c.office)}</span><span>{e(c.date)}</span></div>\n</header>\n'
               f'<p class="meta">{e(c.meeting)}</p>\n')
    for s in sections(pack):
        out.append(f'<section class="{s.key}{" annex" if s.annex else ""}">\n<h2>{e(s.title)}</h2>\n')
        if s.intro:
            out.append(f'<p class="intro">{e(s.intro)}</p>\n')
        fig = charts.get(s.chart) if s.chart else None
        if fig is not None:
            div = fig.to_html(full_html=False, include_plotlyjs=not inlined, div_id=f"chart-{s.chart}",
                              config=PLOTLY_CONFIG)
            inlined = True
            out.append(f'<div class="chart">{div}</div>\n')
        for t in shown(s):
            if len(s.tables) > 1:
                out.append(f"<h3>{e(t.title)}</h3>\n")
            out.append(_table(t) + "\n")
        out.append("</section>\n")
    out.append(f"<footer>{e(W.FOOTER.format(app=W.APP_NAME, as_of=F.moment(pack.meeting['as_of'])))}</footer>\n")
    out.append("</main>\n</body>\n</html>\n")
    return "".join(out)
