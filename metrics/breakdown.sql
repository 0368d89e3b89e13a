-- Breakdowns (分组) of every indicator × area × year that has them, in one query.
-- Parameters: $as_of, $year (NULL = every year), $indicator (NULL = all), $dimension (NULL = all),
-- $level ('city' | 'district' | 'all').
-- A part counts when the figure it belongs to is the current one: the same submission and period as the
-- district's latest figure of the year (progress.sql's rule). Registers are split by the master list's 城乡.
WITH RECURSIVE
ind AS (
    SELECT code, name, unit, kind, breakdowns,
           CASE WHEN kind = 'rate' THEN coalesce(scale, 100) WHEN kind = 'count' THEN NULL ELSE 100 END AS factor
    FROM indicator_at(as_of := $as_of)
    WHERE len(breakdowns) > 0 AND ($indicator IS NULL OR code = $indicator)
),
area AS (SELECT code, name, sort_order, parent_code, parent_code IS NULL AS is_city FROM district_at(as_of := $as_of)),
above(leaf, ancestor) AS (   -- each area with every area above it (progress.sql's tree)
    SELECT code, parent_code FROM area WHERE parent_code IS NOT NULL
    UNION ALL
    SELECT u.leaf, a.parent_code FROM above u JOIN area a ON a.code = u.ancestor WHERE a.parent_code IS NOT NULL
),
latest AS (
    SELECT o.* FROM current_observation(as_of := $as_of) o
    WHERE o.indicator_code IN (SELECT code FROM ind) AND ($year IS NULL OR o.year = $year)
    QUALIFY row_number() OVER (PARTITION BY indicator_code, district_code, year
                               ORDER BY period_end(period) DESC, length(period)) = 1
),
register_latest AS (
    SELECT r.* FROM current_register_entry(as_of := $as_of) r
    WHERE r.indicator_code IN (SELECT code FROM ind WHERE kind = 'register' AND list_contains(breakdowns, '城乡'))
      AND ($year IS NULL OR r.year = $year)
    QUALIFY dense_rank() OVER (PARTITION BY indicator_code, district_code, year
                               ORDER BY period_end(period) DESC, length(period)) = 1
),
unit_parts AS (   -- the master list's units of each district, 城镇 / 乡村 (the list says 农村)
    SELECT district_code, CASE urban_rural WHEN '农村' THEN '乡村' ELSE urban_rural END AS part, count(*)::DOUBLE AS n
    FROM community_at(as_of := $as_of) GROUP BY ALL
),
district_parts AS (
    SELECT p.indicator_code AS indicator, p.district_code, p.year, p.period, p.dimension, p.part,
           p.numerator, p.denominator, CASE WHEN i.kind = 'count' THEN p.value END AS figure,
           p.submission_id, p.sheet, p.row_number
    FROM latest l
    JOIN observation_part p USING (submission_id, indicator_code, district_code, period)
    JOIN ind i ON i.code = p.indicator_code AND list_contains(i.breakdowns, p.dimension)
    WHERE $dimension IS NULL OR p.dimension = $dimension
    UNION ALL
    SELECT r.indicator, r.district_code, r.year, r.period, '城乡', u.part,
           coalesce(f.flagged, 0), u.n, NULL, r.submission_id, NULL, NULL
    FROM (SELECT indicator_code AS indicator, district_code, year, any_value(period) AS period,
                 max(submission_id) AS submission_id
          FROM register_latest GROUP BY ALL) r
    JOIN unit_parts u ON u.district_code = r.district_code
    LEFT JOIN (SELECT e.indicator_code, e.district_code, e.year,
                      CASE c.urban_rural WHEN '农村' THEN '乡村' ELSE c.urban_rural END AS part,
                      count(*) FILTER (WHERE e.flag)::DOUBLE AS flagged
               FROM register_latest e JOIN community_at(as_of := $as_of) c ON c.code = e.community_code
               GROUP BY ALL) f
           ON f.indicator_code = r.indicator AND f.district_code = r.district_code AND f.year = r.year
              AND f.part = u.part
    WHERE $dimension IS NULL OR $dimension = '城乡'
),
-- Every area above the districts that reported: Σnumerator ÷ Σdenominator of the part over them, Σ of counts.
city_parts AS (
    SELECT d.indicator, u.ancestor AS district_code, d.year, max(d.period) AS period,
           d.dimension, d.part, sum(d.numerator) AS numerator, sum(d.denominator) AS denominator,
           sum(d.figure) AS figure, count(DISTINCT d.district_code) AS districts_reported
    FROM district_parts d JOIN above u ON u.leaf = d.district_code
    GROUP BY d.indicator, u.ancestor, d.year, d.dimension, d.part
),
parts AS (
    SELECT p.*, 1 AS districts_reported FROM district_parts p JOIN area a ON a.code = p.district_code
    WHERE $level = 'all' OR ($level = 'city') = a.is_city
    UNION ALL BY NAME
    SELECT c.* FROM city_parts c JOIN area a ON a.code = c.district_code
    WHERE $level = 'all' OR ($level = 'city') = a.is_city
),
valued AS (
    SELECT p.*, i.name AS indicator_name, i.unit, a.name AS district, a.is_city, a.sort_order AS district_order,
           i.kind,
           CASE WHEN i.kind = 'count' THEN p.figure
                WHEN p.denominator > 0 THEN p.numerator / p.denominator * i.factor END AS value
    FROM parts p JOIN ind i ON i.code = p.indicator JOIN area a ON a.code = p.district_code
)
SELECT v.* EXCLUDE (figure, kind),
       v.value - max(v.value) OVER w AS gap_to_best,
       arg_max(v.part, v.value) OVER w AS best_part,
       s.file_name
FROM valued v LEFT JOIN submission s ON s.id = v.submission_id
WINDOW w AS (PARTITION BY v.indicator, v.district_code, v.year, v.dimension)
ORDER BY v.indicator, v.district_order, v.year, list_position(['性别', '年龄组', '城乡'], v.dimension),
         coalesce(list_position(['男', '女', '城镇', '乡村'], v.part),
                  10 + coalesce(TRY_CAST(split_part(v.part, '-', 1) AS INTEGER), 99)), v.part
