-- Progress to target for every indicator × area (city and districts) × year, in one query.
-- Parameters: $as_of (figures and catalog as they stood then), $year (NULL = every year with data),
-- $indicators (a list of codes; NULL = every indicator), $level ('city' | 'district' | 'all'), $area (see
-- scope), $on (today, for rows with no figure yet), and the thresholds of data/settings.toml: $tolerance,
-- $band_points, $band_share, $small_events, $z.
-- The rules are the macros of rules.sql; each CTE below is one step, named after what it computes.
-- Areas form a tree (区县 by 上级代码, any depth): figures are reported at the leaves and roll up to every
-- area above them; "the city" is the root, "districts" are every other area.
WITH RECURSIVE
ind AS (
    SELECT i.*, d.name AS lead_name,
           (i.kind = 'count' AND i.accumulation = 'cumulative' AND i.reporting_basis = 'additions') AS by_additions,
           (i.kind = 'count' AND i.accumulation = 'annual') AS annual_count,
           CASE WHEN i.kind = 'rate' THEN coalesce(i.scale, 100) WHEN i.kind = 'count' THEN NULL ELSE 100 END AS factor
    FROM indicator_at(as_of := $as_of) i
    LEFT JOIN (SELECT * EXCLUDE (catalog_id) FROM catalog_department
               WHERE catalog_id = catalog_id_at($as_of)) d ON d.code = i.lead_department
    WHERE $indicators IS NULL OR list_contains($indicators, i.code)
),
area AS (
    SELECT code, name, sort_order, parent_code, parent_code IS NULL AS is_city,
           code NOT IN (SELECT parent_code FROM district_at(as_of := $as_of) WHERE parent_code IS NOT NULL) AS is_leaf
    FROM district_at(as_of := $as_of)
),
-- each leaf with every area above it
above(leaf, ancestor) AS (
    SELECT code, parent_code FROM area WHERE is_leaf AND parent_code IS NOT NULL
    UNION ALL
    SELECT u.leaf, a.parent_code FROM above u JOIN area a ON a.code = u.ancestor WHERE a.parent_code IS NOT NULL
),
leaves AS (SELECT ancestor AS code, count(*) AS n FROM above GROUP BY ALL),
units AS (SELECT district_code, count(*)::DOUBLE AS n FROM community_at(as_of := $as_of) GROUP BY ALL),

-- Within a year the latest period counts (monthly and quarterly figures are year-to-date);
-- an annual figure outranks December.
latest AS (
    SELECT o.* FROM current_observation(as_of := $as_of) o
    WHERE $indicators IS NULL OR list_contains($indicators, o.indicator_code)
    QUALIFY row_number() OVER (PARTITION BY indicator_code, district_code, year
                               ORDER BY period_end(period) DESC, length(period)) = 1
),
register_latest AS (
    SELECT r.* FROM current_register_entry(as_of := $as_of) r
    WHERE $indicators IS NULL OR list_contains($indicators, r.indicator_code)
    QUALIFY dense_rank() OVER (PARTITION BY indicator_code, district_code, year
                               ORDER BY period_end(period) DESC, length(period)) = 1
),
-- What each district reported: rates as Σ parts, yes/no as 1/0 of 1, a register as units flagged 是
-- over the units of the master list, counts as the figure sent.
reported AS (
    SELECT l.indicator_code AS indicator, l.district_code, l.year, l.period,
           CASE WHEN i.kind = 'yesno' THEN l.value WHEN i.kind = 'rate' THEN l.numerator END AS numerator,
           CASE WHEN i.kind = 'yesno' THEN 1.0 WHEN i.kind = 'rate' THEN l.denominator END AS denominator,
           CASE WHEN i.kind = 'count' THEN l.value END AS figure
    FROM latest l JOIN ind i ON i.code = l.indicator_code
    UNION ALL
    SELECT r.indicator_code, r.district_code, r.year, any_value(r.period),
           count(*) FILTER (WHERE r.flag)::DOUBLE, any_value(coalesce(u.n, 0)), NULL
    FROM register_latest r LEFT JOIN units u USING (district_code)
    GROUP BY r.indicator_code, r.district_code, r.year
),
-- A cumulative count reported as 当年新增 is a stock: baseline stock + Σ additions after the
-- baseline year. The city's baseline is the indicator's; a district's comes from the 基线 sheet.
-- Without one, a district's figure is its additions since the baseline (its contribution).
stock AS (
    SELECT r.*, i.by_additions, i.annual_count, i.kind, i.factor, b.value AS own_baseline,
           sum(CASE WHEN r.year > coalesce(i.baseline_year, -1) THEN r.figure ELSE 0 END)
               OVER w AS additions_since_baseline,
           count(*) FILTER (WHERE r.year > coalesce(i.baseline_year, -1)) OVER w AS years_summed,
           r.year - coalesce(i.baseline_year, min(r.year) OVER (PARTITION BY r.indicator) - 1) AS years_due
    FROM reported r JOIN ind i ON i.code = r.indicator
    LEFT JOIN baseline_at(as_of := $as_of) b ON b.indicator_code = r.indicator AND b.district_code = r.district_code
    WINDOW w AS (PARTITION BY r.indicator, r.district_code ORDER BY r.year ROWS UNBOUNDED PRECEDING)
),
district_figures AS (
    SELECT s.indicator, s.district_code, s.year, s.period, s.numerator, s.denominator,
           CASE WHEN s.kind <> 'count' THEN CASE WHEN s.denominator > 0 THEN s.numerator / s.denominator * s.factor END
                WHEN s.by_additions THEN coalesce(s.own_baseline, 0) + s.additions_since_baseline
                ELSE s.figure END AS value,
           -- only a stock reported as additions has them: an annual count's or a stock's own figure is what
           -- it reported (its share of the districts' total is of that year's figures, not of their running sum)
           CASE WHEN s.by_additions THEN s.additions_since_baseline END AS additions_since_baseline,
           -- a sum of yearly additions is whole only if no year after the baseline is missing
           (NOT s.by_additions OR greatest(s.years_due, 0) = s.years_summed) AS complete,
           s.by_additions AND s.own_baseline IS NULL AS additions_only,
           1 AS districts_reported
    FROM stock s JOIN area a ON a.code = s.district_code AND a.is_leaf
),
-- The areas the rows are asked for: $area and the areas right under it (every area when NULL), of $level.
-- Only they are rolled up and joined to their rows: a province's page does not sum the whole nation.
scope AS (
    SELECT a.* FROM area a
    WHERE ($level = 'all' OR ($level = 'city') = a.is_city)
      AND ($area IS NULL OR a.code = $area OR a.parent_code = $area)
),
rolled AS (SELECT u.leaf, u.ancestor FROM above u SEMI JOIN scope s ON s.code = u.ancestor),
-- Every area above the leaves rolls up from the leaves under it: Σnumerator ÷ Σdenominator, Σ of counts;
-- (district_figures has one row per indicator × leaf × year, so count(*) counts leaves; periods says one or several)
-- a stock reported as additions: at the root, the city baseline plus every leaf's additions, elsewhere
-- the Σ of its leaves' stocks. Whole only when every leaf under it reported, for one period.
city_figures AS (
    SELECT d.indicator, u.ancestor AS district_code, d.year, max(d.period) AS period,
           CASE WHEN i.kind <> 'count' THEN sum(d.numerator) END AS numerator,
           CASE WHEN i.kind <> 'count' THEN sum(d.denominator) END AS denominator,
           CASE WHEN i.kind <> 'count' THEN CASE WHEN sum(d.denominator) > 0
                                                 THEN sum(d.numerator) / sum(d.denominator) * any_value(i.factor) END
                WHEN i.by_additions AND a.is_city
                    THEN coalesce(any_value(i.baseline_value), 0) + sum(d.additions_since_baseline)
                ELSE sum(d.value) END AS value,
           NULL::DOUBLE AS additions_since_baseline,
           bool_and(d.complete) AND count(*) = any_value(l.n)
               AND min(d.period) = max(d.period) AS complete,
           NOT a.is_city AND bool_or(d.additions_only) AS additions_only,
           count(*) AS districts_reported,
           CASE WHEN min(d.period) = max(d.period) THEN 1 ELSE 2 END AS periods,
           bool_and(d.complete) AS districts_whole
    FROM district_figures d
    JOIN rolled u ON u.leaf = d.district_code
    JOIN area a ON a.code = u.ancestor
    JOIN leaves l ON l.code = u.ancestor
    JOIN ind i ON i.code = d.indicator
    GROUP BY d.indicator, u.ancestor, a.is_city, d.year, i.kind, i.by_additions
),
figures AS (
    SELECT * FROM (
        SELECT *, NULL::BIGINT AS periods, NULL::BOOLEAN AS districts_whole,
               -- a district's contribution: its share of what all the districts reported (additions, for stocks)
               coalesce(additions_since_baseline, value)
                   / sum(coalesce(additions_since_baseline, value)) OVER (PARTITION BY indicator, year) AS share_of_total
        FROM district_figures) d
    SEMI JOIN scope s ON s.code = d.district_code
    UNION ALL BY NAME
    SELECT *, NULL::DOUBLE AS share_of_total FROM city_figures
),

-- Every indicator × area in scope × year shown gets a row; no figure means 无数据, never 0.
years AS (
    SELECT CAST($year AS INTEGER) AS year WHERE $year IS NOT NULL
    UNION SELECT DISTINCT year FROM district_figures WHERE $year IS NULL   -- every year any area reported
),
grid AS (
    SELECT i.code AS indicator, a.code AS district_code, a.name AS district, a.is_city, a.is_leaf, a.parent_code,
           a.sort_order, y.year, coalesce(l.n, 1) AS leaves
    FROM ind i CROSS JOIN scope a CROSS JOIN years y
    LEFT JOIN leaves l ON l.code = a.code
),
-- The target of a row. City: the level's own target, 市 before 县, 省, 国家. District: its own split
-- target (任务分解) first, then 县, 市, 省, 国家 — but a count's city total never binds a district,
-- nor a count's per-district (县) target the city's total. An area between the root and the leaves
-- (a province's city): its own split target, else the root's targets of rates and shares.
-- Within the chosen level: that year's target, else the next one after it, else the last one (held).
targets AS (
    SELECT g.indicator, g.district_code, g.year, t.year AS target_year, t.value AS target, t.level AS target_level,
           t.nature AS target_nature, t.source AS target_source, t.provisional AS target_provisional,
           t.district_code IS NOT NULL AS target_split
    FROM grid g
    JOIN ind i ON i.code = g.indicator
    JOIN target_at(as_of := $as_of) t ON t.indicator_code = g.indicator
     AND CASE WHEN g.is_city THEN t.district_code IS NULL AND NOT (i.kind = 'count' AND t.level = '县')
              WHEN t.district_code IS NOT NULL THEN t.district_code = g.district_code
              WHEN NOT g.is_leaf THEN i.kind <> 'count'
              WHEN i.kind = 'count' THEN t.level = '县'
              ELSE true END
    QUALIFY row_number() OVER (
        PARTITION BY g.indicator, g.district_code, g.year
        ORDER BY CASE WHEN t.district_code IS NOT NULL THEN 0 ELSE
                      list_position(CASE WHEN NOT g.is_leaf THEN ['市', '县', '省', '国家'] ELSE ['县', '市', '省', '国家'] END,
                                    t.level) END,
                 CASE WHEN t.year = g.year THEN 0 WHEN t.year > g.year THEN 1 ELSE 2 END,
                 abs(t.year - g.year)) = 1
),
-- Where a row's path and growth start: the city from the indicator's baseline; a district from its
-- own baseline, else (rates and shares) the city's; a district's growth else from its first report.
framed AS (
    SELECT g.*, i.name AS indicator_name, i.area, i.unit, i.kind, i.direction, i.lead_name, i.gap_phrase,
           i.sort_order AS indicator_order, i.factor, i.annual_count, i.quarter_profile,
           f.period, f.numerator, f.denominator, f.value, f.complete, f.districts_reported, f.additions_only,
           f.periods, f.districts_whole, f.share_of_total,
           p.value AS previous, t.* EXCLUDE (indicator, district_code, year),
           goal_sign(t.target_nature, i.direction) AS sign,
           CASE WHEN g.is_city THEN i.baseline_year WHEN b.indicator_code IS NOT NULL THEN b.year
                WHEN i.kind <> 'count' THEN i.baseline_year END AS path_year,
           CASE WHEN g.is_city THEN i.baseline_value WHEN b.indicator_code IS NOT NULL THEN b.value
                WHEN i.kind <> 'count' THEN i.baseline_value END AS path_base,
           CASE WHEN g.is_city THEN i.baseline_year ELSE coalesce(b.year, first_report.year) END AS growth_year,
           CASE WHEN g.is_city THEN i.baseline_value ELSE coalesce(b.value, first_report.value) END AS growth_base
    FROM grid g
    JOIN ind i ON i.code = g.indicator
    LEFT JOIN figures f USING (indicator, district_code, year)
    LEFT JOIN figures p ON p.indicator = g.indicator AND p.district_code = g.district_code AND p.year = g.year - 1
    LEFT JOIN targets t USING (indicator, district_code, year)
    LEFT JOIN baseline_at(as_of := $as_of) b ON b.indicator_code = g.indicator AND b.district_code = g.district_code
    LEFT JOIN (SELECT indicator, district_code, arg_min(year, year) AS year, arg_min(value, year) AS value
               FROM figures WHERE value IS NOT NULL GROUP BY ALL) first_report
           ON first_report.indicator = g.indicator AND first_report.district_code = g.district_code
),
-- The expected value on the path at the end of the row's period. A year-to-date count of an annual
-- indicator is held to the expected share of the year (Q1 = 1/4, or the 季度进度 profile); stocks and
-- rates move along the straight line within the year.
expected AS (
    SELECT r.*,
           about_band(r.target_nature, r.kind, r.target, $band_points, $band_share) AS band,
           path_value(r.path_year, r.path_base, r.target_year, r.target, make_date(r.year, 12, 31)) AS path_end,
           CASE WHEN r.annual_count THEN 0.0
                ELSE path_value(r.path_year, r.path_base, r.target_year, r.target, make_date(r.year - 1, 12, 31)) END
               AS path_start,
           CASE WHEN r.period IS NOT NULL THEN period_share(r.period, CASE WHEN r.kind = 'count' THEN r.quarter_profile END)
                ELSE least(greatest(date_diff('day', make_date(r.year - 1, 12, 31), $on)
                                    / date_diff('day', make_date(r.year - 1, 12, 31), make_date(r.year, 12, 31)), 0.0), 1.0)
                END AS year_share
    FROM framed r
),
judged AS (
    SELECT e.*,
           threshold(e.target, e.sign, e.band) AS threshold,
           CASE WHEN e.annual_count AND e.path_end IS NULL AND e.target_year = e.year THEN e.target
                ELSE e.path_end END AS path_year_end,
           -- "worse than last year" needs a real drop: a year-to-date figure is not compared with last year's
           -- full-year count, and a drop within $worse_margin × the target is noise, not moving away
           CASE WHEN e.annual_count AND e.year_share < 1 THEN NULL
                WHEN abs(e.value - e.previous) <= $worse_margin * abs(e.target) THEN NULL
                ELSE e.previous END AS comparable_previous,
           meets(e.value, threshold(e.target, e.sign, e.band), e.sign) AS met,
           -- small numbers, for rates of events (less is better: deaths, cases): few events expected at the
           -- target, or an interval that contains it. Coverage rates count every unit and stand as they are.
           e.kind = 'rate' AND e.sign = -1 AND e.denominator > 0 AND e.target IS NOT NULL
               AND threshold(e.target, e.sign, e.band) / e.factor * e.denominator < $small_events AS small_sample,
           wilson_low(e.numerator, e.denominator, $z) * e.factor AS ci_low,
           wilson_high(e.numerator, e.denominator, $z) * e.factor AS ci_high
    FROM expected e
),
statused AS (
    SELECT j.*,
           CASE WHEN j.path_year_end IS NULL THEN NULL
                ELSE coalesce(j.path_start, j.path_year_end)
                     + (j.path_year_end - coalesce(j.path_start, j.path_year_end)) * j.year_share END AS expected,
           j.kind = 'rate' AND j.sign = -1 AND j.ci_low <= j.threshold AND j.threshold <= j.ci_high AS within_interval
    FROM judged j
),
decided AS (
    SELECT s.*,
           CASE WHEN s.value IS NULL OR NOT s.complete THEN '无数据'
                WHEN s.target IS NULL THEN CASE WHEN s.kind = 'count' AND NOT s.is_city THEN '未分解' END
                ELSE path_status(s.value, s.met, s.expected, s.comparable_previous, s.sign, $tolerance) END AS raw_status
    FROM statused s
),
banded AS (
    SELECT d.*,
           -- small numbers alone never make a figure 严重滞后
           CASE WHEN d.raw_status = '严重滞后' AND (d.small_sample OR d.within_interval) THEN '滞后'
                ELSE d.raw_status END AS status,
           growth_ratio(d.growth_year, d.growth_base, d.year, d.value, d.target_year, d.target) AS growth_ratio,
           CASE WHEN d.complete THEN gap_units(d.kind, d.sign, d.factor, d.numerator, d.denominator, d.value, d.threshold)
                END AS gap
    FROM decided d
)
SELECT f.indicator, f.indicator_name, f.area, f.district_code, f.district, f.year, f.numerator, f.denominator,
       f.value, f.unit, f.target, f.target_year, f.target_level,
       attainment(f.value, f.target, f.sign) AS attainment,
       f.gap,
       -- "还需筛查1,240名儿童" from the catalog's 缺口表述; after the target's year "2025年目标未完成，…"
       CASE WHEN f.gap IS NULL OR f.gap = 0 THEN ''
            ELSE CASE WHEN f.year > f.target_year AND NOT f.annual_count THEN f.target_year || '年目标未完成，' ELSE '' END
                 || coalesce(replace(f.gap_phrase, '{n}', format('{:,}', f.gap)),
                             CASE WHEN f.sign = 1 THEN '还差 ' ELSE '需减少 ' END || format('{:,}', f.gap) || f.unit)
                 END AS gap_text,
       f.expected,
       f.status, f.value - f.previous AS yoy, f.growth_ratio,
       CASE WHEN f.value IS NOT NULL AND f.complete THEN growth_band(f.growth_ratio, f.met) END AS growth_band,
       disagreement(f.status, CASE WHEN f.value IS NOT NULL AND f.complete THEN growth_band(f.growth_ratio, f.met) END)
           AS disagreement,
       f.lead_name AS lead_department, f.direction, f.period, f.districts_reported, f.complete,
       f.met, f.sign, f.kind, f.gap_phrase, f.target_nature, f.target_source, f.target_provisional, f.target_split, f.threshold, f.band,
       -- an annual count's last target is held as the target of each later year; any other target's date is past
       f.year > f.target_year AND NOT f.annual_count AS target_passed,
       CASE WHEN f.kind = 'count' AND f.is_leaf THEN f.share_of_total END AS share_of_total,
       f.small_sample, f.within_interval, f.ci_low, f.ci_high, f.additions_only,
       CASE WHEN f.value IS NULL OR f.complete THEN NULL
            WHEN f.is_leaf THEN '缺少往年新增数据，累计数不全'
            WHEN f.districts_reported < f.leaves THEN f.districts_reported || '/' || f.leaves || '个区县已报'
            WHEN f.periods > 1 THEN '各区县统计期不一致'
            ELSE '部分区县缺少往年新增数据' END AS coverage,
       f.is_city, f.year_share, f.is_leaf, f.parent_code
FROM banded f
ORDER BY f.indicator_order, NOT f.is_city, f.sort_order, f.year
