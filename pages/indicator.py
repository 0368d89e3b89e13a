"""指标详情: trend with targets and expected path, district bars, the figures, definition and lineage."""
import html

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from ui import data, filters, format as fmt
from metrics.progress import NOT_SPLIT
from ui.charts import part_bars, style, target_line, trend, value_range
from ui import strings as S
from ui.layout import fails_alone, page_header, require_figures

BAR_EDGES = 15
page_header(S.PAGE_INDICATOR)
f = filters.current()
meta = data.indicator_meta()
if f.areas:
    meta = meta[meta["area"].isin(f.areas)]
if f.department:
    meta = meta[meta["lead_name"] == f.department]
labels = dict(zip(meta["code"], meta["code"] + " " + meta["name"]))
if not labels:
    st.info(S.INDICATOR_FILTER_NONE, icon=":material/filter_alt_off:")
    st.stop()
code = st.selectbox(S.PICK_INDICATOR, list(labels), format_func=labels.get, key="indicator_code")
ind = meta.set_index("code").loc[code]
table = data.progress_table(f.as_of, f.place)
require_figures(data.has_figures(f.as_of))
rows = table[table["indicator"] == code]
city = rows[rows["is_city"]].sort_values("year")
all_local = rows[~rows["is_city"]]
present = filters.present_mode()
goals = data.targets(f.as_of)
goals = goals[goals["indicator"] == code]
split_goals = goals[goals["district_code"].notna()]
goals = goals[goals["district_code"].isna()]
unit = ind["unit"]

with fails_alone(S.TREND):
    st.subheader(f"{S.TREND}（{S.UNIT}：{fmt.plain(unit)}）")
    # the city bold and labelled, every district faint grey, the districts chosen in the sidebar coloured
    fig = trend(city, all_local, f.districts, unit, fmt.progress_rows(city)["value"].tolist(), present)
    for g in goals.itertuples():  # the label goes into the legend, never over the lines
        target_line(fig, g.value, (S.TARGET_PROVISIONAL_LINE if g.provisional else S.TARGET_LINE).format(
            level=g.level, value=fmt.target(g.value, unit, g.nature), year=g.year), bool(g.provisional), g.level)
    city_goals = goals[goals["level"] == "市"].sort_values("year")
    path = []
    if not fmt.missing(ind["baseline_year"]) and not city_goals.empty:
        xs = [int(ind["baseline_year"]), *city_goals["year"]]
        path = [ind["baseline_value"], *city_goals["value"]]
        fig.add_scatter(x=xs, y=path, name=S.EXPECTED_LINE, mode="lines", line=dict(dash="dot", color="#0072B2", width=2))
    years_with_data = rows.loc[rows["value"].notna(), "year"]
    style(fig, 520 if present else 480, present)
    fig.update_layout(legend=dict(y=-0.12))
    shown_years = years_with_data if not years_with_data.empty else rows["year"]
    in_view = rows[rows["year"].isin(shown_years)]
    # the expected path counts only where it is drawn: inside the years shown
    path_in_view = np.interp(sorted(set(shown_years)), xs, path).tolist() if path else []
    axis, note = value_range(in_view["value"], unit, [*goals["value"], *path_in_view])
    if axis:
        fig.update_yaxes(range=axis)
    if unit in ("%", "‰"):
        fig.update_yaxes(ticksuffix=unit)
    if not years_with_data.empty:
        fig.update_xaxes(dtick=1, range=[years_with_data.min() - 0.3, years_with_data.max() + 0.3])
    st.plotly_chart(fig, width="stretch")
    if note:
        st.caption(note)

with fails_alone(S.DISTRICT_BARS.format(year=f.year)):
    year_rows = all_local[all_local["year"] == f.year].dropna(subset=["value"])
    st.subheader(f"{S.DISTRICT_BARS.format(year=f.year)}（{S.UNIT}：{fmt.plain(unit)}）")
    ascending = ind["direction"] == "lower"
    year_rows = year_rows.sort_values("value", ascending=ascending)
    many = len(year_rows) > 2 * BAR_EDGES + 10   # a province's counties: the best and worst, and the chosen
    if many:
        keep = year_rows.head(BAR_EDGES).index.union(year_rows.tail(BAR_EDGES).index).union(
            year_rows.index[year_rows["district_code"].isin(f.districts)])
        n_all, year_rows = len(year_rows), year_rows.loc[keep].sort_values("value", ascending=ascending)
    chosen = year_rows["district_code"].isin(f.districts).to_numpy()
    # horizontal bars, best first: every name and every label has room on its own line at any width
    names = [f"<b>{html.escape(n)}</b>" if c else html.escape(n) for n, c in zip(year_rows["district"], chosen)]
    readings = [fmt.row_reading(r) for r in year_rows.to_dict("records")]
    statuses = fmt.progress_rows(year_rows)["status"].tolist()
    bars = go.Figure()
    for word in [*fmt.STATUS_ORDER, NOT_SPLIT]:
        mine = (year_rows["status"] == word).to_numpy()
        if not mine.any():
            continue
        mark = fmt.status(word).split()[0]
        pick = [i for i, m in enumerate(mine) if m]
        bars.add_bar(y=[names[i] for i in pick], x=year_rows["value"].to_numpy()[mine], orientation="h",
                     name=fmt.status(word), marker=dict(color=fmt.colour(word), line=dict(
                         color="#000000", width=[3 if chosen[i] else 0 for i in pick])),
                     text=[f"{readings[i]} {mark}" for i in pick], textposition="outside", textangle=0,
                     constraintext="none", cliponaxis=False,
                     hovertext=[f"{html.escape(year_rows['district'].iloc[i])}：{statuses[i]}" for i in pick],
                     hoverinfo="text")
    city_now = city[city["year"] == f.year]
    bar_targets = []
    if not city_now.empty and not fmt.missing(city_now["target"].iloc[0]) and ind["kind"] != "count":
        c = city_now.iloc[0]
        bar_targets.append(c["target"])
        target_line(bars, c["target"], (S.TARGET_PROVISIONAL_LINE if c["target_provisional"] else S.TARGET_LINE).format(
            level=c["target_level"], value=fmt.row_target(c), year=int(c["target_year"])), bool(c["target_provisional"]),
            c["target_level"], vertical=True)
    split = year_rows["target_split"].fillna(False).astype(bool).to_numpy()
    if split.any():  # targets split to districts: each district's own target as a mark on its bar
        bar_targets += year_rows["target"][split].tolist()
        bars.add_scatter(y=[n for n, m in zip(names, split) if m], x=year_rows["target"][split], mode="markers",
                         name=S.DISTRICT_TARGET, marker=dict(symbol="line-ns-open", size=24, line=dict(width=3, color="#D55E00")),
                         hovertext=[fmt.row_target(r) for r in year_rows[split].to_dict("records")], hoverinfo="text")
    style(bars, max(300, 34 * len(year_rows) + 120), present)
    bars.update_layout(barmode="overlay", margin=dict(t=10, r=110 if present else 90), legend=dict(y=-0.08),
                       yaxis=dict(categoryorder="array", categoryarray=names, autorange="reversed"), bargap=0.25)
    axis, note = value_range(year_rows["value"], unit, bar_targets, axis=S.AXIS_X)
    if axis:
        bars.update_xaxes(range=axis)
    if unit in ("%", "‰"):
        bars.update_xaxes(ticksuffix=unit)
    st.plotly_chart(bars, width="stretch")
    st.caption(" ".join(x for x in (note, S.CHOSEN_NOTE if chosen.any() else None,
                                    S.BARS_EDGES.format(n=n_all, k=BAR_EDGES) if many else None) if x))

dims = list(ind["breakdowns"]) if isinstance(ind["breakdowns"], (list, tuple, np.ndarray)) else []
if dims and f.year:
    with fails_alone(S.PARTS.format(year=f.year, area="")):
        # the first district chosen in the sidebar, else the city
        area_code = f.districts[0] if f.districts else (city["district_code"].iloc[0] if not city.empty else None)
        parts = data.breakdown_values(int(f.year), code, None, f.as_of)
        mine = parts[parts["district_code"] == area_code]
        area_name = mine["district"].iloc[0] if not mine.empty else dict(
            zip(rows["district_code"], rows["district"])).get(area_code, "")
        st.subheader(S.PARTS.format(year=f.year, area=area_name))
        if mine.empty:
            st.info(S.PARTS_NONE.format(year=f.year, area=area_name, dims="、".join(dims)))
        else:
            labelled = mine.assign(label=mine["dimension"] + "：" + mine["part"])
            chart = part_bars(labelled, unit, "label", present)
            axis, note = value_range(mine["value"], unit, axis=S.AXIS_X)
            if axis:
                chart.update_xaxes(range=axis)
            if unit in ("%", "‰"):
                chart.update_xaxes(ticksuffix=unit)
            st.plotly_chart(chart, width="stretch")
            st.markdown("　".join(f"**{fmt.plain(g)}**" for g in fmt.part_gaps(mine, unit)))
            st.caption(" ".join(x for x in (note, S.PARTS_NOTE) if x))
            shown_parts = mine.assign(
                numerator=mine["numerator"].map(fmt.number), denominator=mine["denominator"].map(fmt.number),
                value=[fmt.value(v, unit) for v in mine["value"]],
                gap_to_best=[fmt.part_gap(v, unit) for v in mine["gap_to_best"]])
            columns = ["dimension", "part", "period", "numerator", "denominator", "value", "gap_to_best",
                       "districts_reported" if mine["is_city"].any() else "file_name"]
            st.dataframe(fmt.cells(shown_parts[columns]).rename(columns=S.PART_COLUMNS), hide_index=True,
                         width="stretch")

with fails_alone(S.DETAIL_TABLE):
    st.subheader(S.DETAIL_TABLE)
    detail = rows[rows["year"] == f.year] if f.year else rows
    detail = fmt.progress_rows(detail)
    detail = detail.assign(
        numerator=detail["numerator"].map(fmt.number), denominator=detail["denominator"].map(fmt.number),
        expected=[fmt.value(v, unit) for v in detail["expected"]], yoy=[fmt.change(v, unit) for v in detail["yoy"]])
    held = data.held_targets(f.year, f.as_of)
    if code in set(held["indicator"]):
        st.caption(S.TARGET_HELD_ONE.format(year=f.year, target_year=int(held.set_index("indicator").loc[code, "target_year"])))
    columns = ["district", "period", "numerator", "denominator", "value", "target", "attainment", "status", "gap_text",
               "yoy", "expected", "growth_band", "disagreement", "target_source"]
    if present:  # fewer, wider columns on the projector
        columns = ["district", "numerator", "denominator", "value", "target", "status", "gap_text"]
    widths = {"district": 150, "period": 70, "numerator": 90, "denominator": 90, "value": 150, "target": 130,
              "attainment": 80, "status": 220, "gap_text": 200, "yoy": 130, "expected": 90, "growth_band": 100,
              "disagreement": 260, "target_source": 200}
    st.dataframe(fmt.cells(detail[columns]).rename(columns=S.COLUMNS), hide_index=True, width="stretch",
                 column_config={S.COLUMNS[c]: st.column_config.TextColumn(width=widths[c]) for c in columns})

with fails_alone(S.DEFINITION):
    with st.expander(S.DEFINITION, expanded=False):
        kind = ind["kind"]
        formula = S.FORMULA["rate"].format(scale=int(ind["scale"])) if kind == "rate" else S.FORMULA.get(kind) or S.FORMULA[
            {"annual": "count_annual", "cumulative": "count_additions" if ind["reporting_basis"] == "additions" else "count_running"}[ind["accumulation"]]]
        facts = {
            "area": ind["area"], "action": ind["action"], "kind": S.KIND_WORDS[kind], "formula": formula,
            "numerator_def": ind["numerator_def"], "denominator_def": ind["denominator_def"], "unit": unit,
            "direction": S.DIRECTION_WORDS[ind["direction"]], "lead_name": ind["lead_name"],
            "frequency": S.FREQUENCY_WORDS[ind["frequency"]],
            "baseline": "—" if fmt.missing(ind["baseline_year"]) else f"{int(ind['baseline_year'])}年 {fmt.value(ind['baseline_value'], unit)}",
            "source": ind["source"],
            "targets": "；".join(f"{g.year}年 {g.level}级 {fmt.target(g.value, unit, g.nature)}"
                                f"（{S.PROVISIONAL_WORD + '：' if g.provisional else ''}{g.source or '—'}）"
                                for g in goals.itertuples())
                       + (S.SPLIT_TARGETS.format(n=split_goals["district_code"].nunique()) if not split_goals.empty else ""),
        }
        # every value may come from the catalog: shown as typed, never as Markdown
        st.markdown("\n".join(f"- **{S.DEF_FIELDS[k]}**：{fmt.plain(v)}" for k, v in facts.items()))
        st.markdown(f"**{S.RULES_TITLE}**\n\n" + fmt.rules_text())

with fails_alone(S.LINEAGE):
    with st.expander(S.LINEAGE, expanded=False):
        choices = dict(zip(rows["district_code"], rows["district"]))
        who = st.selectbox(S.LINEAGE_PICK, list(choices), format_func=choices.get, key="lineage_district")
        trail = data.figure_lineage_shown(code, who, int(f.year), f.as_of)
        st.dataframe(trail.rename(columns=S.COLUMNS), hide_index=True, width="stretch",
                     column_config={S.COLUMNS.get(c, c): st.column_config.TextColumn(width=w) for c, w in
                                    {"file_name": 220, "received_at": 140, "district": 150}.items() if c in trail})
