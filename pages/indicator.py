"""指标详情: trend with targets and expected path, district bars, the figures, definition and lineage."""
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from ui import data, filters, format as fmt
from ui.charts import style
from ui import strings as S
from ui.layout import fails_alone, page_header, require_figures

page_header(S.PAGE_INDICATOR)
f = filters.current()
meta = data.indicator_meta()
if f.areas:
    meta = meta[meta["area"].isin(f.areas)]
if f.department:
    meta = meta[meta["lead_name"] == f.department]
labels = dict(zip(meta["code"], meta["code"] + " " + meta["name"]))
code = st.selectbox(S.PICK_INDICATOR, list(labels), format_func=labels.get, key="indicator_code")
ind = meta.set_index("code").loc[code]
table = data.progress_table(f.as_of)
require_figures(table)
rows = table[table["indicator"] == code]
city = rows[rows["is_city"]].sort_values("year")
local = rows[~rows["is_city"]]
if f.districts:
    local = local[local["district_code"].isin(f.districts)]
unit = ind["unit"]

with fails_alone(S.TREND):
    st.subheader(f"{S.TREND}（{S.UNIT}：{fmt.plain(unit)}）")
    fig = go.Figure()
    palette = px.colors.qualitative.Dark24
    for k, (name, g) in enumerate(local.groupby("district", sort=False)):
        g = g.sort_values("year")
        fig.add_scatter(x=g["year"], y=g["value"], name=name, mode="lines+markers",
                        line=dict(width=1.5, color=palette[k % len(palette)]), marker=dict(size=6))
    fig.add_scatter(x=city["year"], y=city["value"], name=S.CITY_LINE, mode="lines+markers+text",
                    line=dict(width=5, color="#000000"), text=fmt.progress_rows(city)["value"].tolist(),
                    textposition="top center")
    goals = data.targets(f.as_of)
    goals = goals[goals["indicator"] == code]
    split_goals = goals[goals["district_code"].notna()]
    goals = goals[goals["district_code"].isna()]
    dashes = {"市": "dash", "国家": "dot", "省": "dashdot", "县": "longdash"}
    for g in goals.itertuples():
        # a placeholder target is drawn faint and dotted, and says 待确认
        fig.add_hline(y=g.value, line_dash="dot" if g.provisional else dashes.get(g.level, "dash"),
                      line_color="#999999" if g.provisional else "#D55E00",
                      annotation_text=(S.TARGET_PROVISIONAL_LINE if g.provisional else S.TARGET_LINE).format(
                          level=g.level, value=fmt.target(g.value, unit, g.nature), year=g.year),
                      annotation_position="top left")
    city_goals = goals[goals["level"] == "市"].sort_values("year")
    if not fmt.missing(ind["baseline_year"]) and not city_goals.empty:
        xs = [int(ind["baseline_year"]), *city_goals["year"]]
        ys = [ind["baseline_value"], *city_goals["value"]]
        fig.add_scatter(x=xs, y=ys, name=S.EXPECTED_LINE, mode="lines", line=dict(dash="dot", color="#0072B2", width=2))
    years_with_data = rows.loc[rows["value"].notna(), "year"]
    style(fig, 480)
    if not years_with_data.empty:
        fig.update_xaxes(dtick=1, range=[years_with_data.min() - 0.3, years_with_data.max() + 0.3])
    st.plotly_chart(fig, width="stretch")

with fails_alone(S.DISTRICT_BARS.format(year=f.year)):
    year_rows = local[local["year"] == f.year].dropna(subset=["value"])
    st.subheader(f"{S.DISTRICT_BARS.format(year=f.year)}（{S.UNIT}：{fmt.plain(unit)}）")
    ascending = ind["direction"] == "lower"
    year_rows = year_rows.sort_values("value", ascending=not ascending)
    shown_rows = fmt.progress_rows(year_rows)
    bars = go.Figure(go.Bar(x=year_rows["district"], y=year_rows["value"],
                            marker_color=[fmt.colour(s) for s in year_rows["status"]],
                            text=[f"{v} {fmt.status(s)}" for v, s in zip(shown_rows["value"], year_rows["status"])],
                            hovertext=shown_rows["status"].tolist(), hoverinfo="x+text",
                            textposition="outside"))
    city_now = city[city["year"] == f.year]
    if not city_now.empty and not fmt.missing(city_now["target"].iloc[0]) and ind["kind"] != "count":
        c = city_now.iloc[0]
        bars.add_hline(y=c["target"], line_dash="dot" if c["target_provisional"] else "dash",
                       line_color="#999999" if c["target_provisional"] else "#D55E00",
                       annotation_text=(S.TARGET_PROVISIONAL_LINE if c["target_provisional"] else S.TARGET_LINE).format(
                           level=c["target_level"], value=fmt.row_target(c), year=int(c["target_year"])))
    judged_here = year_rows[year_rows["target_split"].fillna(False).astype(bool)]
    if not judged_here.empty:  # targets split to districts: each district's own target as a mark over its bar
        bars.add_scatter(x=judged_here["district"], y=judged_here["target"], mode="markers", name=S.DISTRICT_TARGET,
                         marker=dict(symbol="line-ew-open", size=28, line=dict(width=3, color="#D55E00")),
                         hovertext=[fmt.row_target(r) for r in judged_here.to_dict("records")], hoverinfo="x+text")
    style(bars, 420)
    st.plotly_chart(bars, width="stretch")

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
    st.dataframe(detail[["district", "year", "period", "numerator", "denominator", "value", "target", "expected",
                         "attainment", "gap_text", "status", "yoy", "growth_band", "disagreement",
                         "target_source"]].rename(columns=S.COLUMNS),
                 hide_index=True, width="stretch")

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
        trail = data.figure_lineage(code, who, int(f.year), f.as_of)
        st.dataframe(trail.drop(columns=["indicator", "submission_id"], errors="ignore").rename(columns=S.COLUMNS),
                     hide_index=True, width="stretch")
