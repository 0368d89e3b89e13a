-- The status rules, one macro each, applied by progress.sql to every indicator × area × year at once.
-- Temporary macros: created on each connection that computes figures (metrics.sql.use), so a
-- read-only warehouse works too. The thresholds come in as arguments from data/settings.toml.

-- +1 when more is better for this target, −1 when less is: the target's nature (目标性质) decides,
-- else the indicator's direction.
CREATE OR REPLACE TEMP MACRO goal_sign(nature, direction) AS
    CASE WHEN nature = 'at_least' THEN 1 WHEN nature = 'at_most' THEN -1
         WHEN direction = 'lower' THEN -1 ELSE 1 END;

-- The band of a 左右 (about) target: ± points for rates and shares, ± a share of the target for counts.
CREATE OR REPLACE TEMP MACRO about_band(nature, kind, target, band_points, band_share) AS
    CASE WHEN nature <> 'about' OR nature IS NULL THEN 0.0
         WHEN kind = 'count' THEN abs(target) * band_share ELSE band_points END;

-- The value a figure must reach to count as met: the target, or the near edge of a 左右 band.
CREATE OR REPLACE TEMP MACRO threshold(target, sign, band) AS target - sign * band;

-- Met: at or beyond the threshold in the goal's direction (a 左右 target: inside its band, or past it
-- on the better side). The 1e-9 absorbs binary rounding of Σnumerator ÷ Σdenominator only.
CREATE OR REPLACE TEMP MACRO meets(value, threshold, sign) AS
    sign * (value - threshold) >= -1e-9 * greatest(1.0, abs(threshold));

-- The straight line from the baseline (end of its year) to the target (end of its year), read on `on`,
-- held at the target after its date: baseline + (target − baseline) × elapsed ÷ span.
CREATE OR REPLACE TEMP MACRO path_value(baseline_year, baseline_value, target_year, target_value, on_date) AS
    CASE WHEN baseline_year IS NULL OR baseline_value IS NULL OR target_value IS NULL THEN NULL
         WHEN target_year <= baseline_year THEN target_value
         ELSE baseline_value + (target_value - baseline_value)
              * least(greatest(date_diff('day', make_date(baseline_year, 12, 31), on_date)
                               / date_diff('day', make_date(baseline_year, 12, 31), make_date(target_year, 12, 31)),
                               0.0), 1.0) END;

-- The share of a year's count expected by the end of a period: 1 for the year, n/4 for quarter n,
-- m/12 for month m, unless the catalog gives a 季度进度 profile (months in between are interpolated).
CREATE OR REPLACE TEMP MACRO period_share(period, profile) AS
    CASE WHEN period IS NULL OR length(period) = 4 THEN 1.0
         WHEN period LIKE '%Q%' THEN coalesce(profile[CAST(right(period, 1) AS INTEGER)],
                                             CAST(right(period, 1) AS INTEGER) / 4)
         ELSE CASE WHEN profile IS NULL THEN CAST(right(period, 2) AS INTEGER) / 12
                   ELSE coalesce(profile[CAST(ceil(CAST(right(period, 2) AS INTEGER) / 3) AS INTEGER) - 1], 0.0)
                        + (profile[CAST(ceil(CAST(right(period, 2) AS INTEGER) / 3) AS INTEGER)]
                           - coalesce(profile[CAST(ceil(CAST(right(period, 2) AS INTEGER) / 3) AS INTEGER) - 1], 0.0))
                        * ((CAST(right(period, 2) AS INTEGER) - 1) % 3 + 1) / 3 END END;

-- 已达标 when met; else against the expected path: 正常 at or beyond it; 滞后 short by less than
-- tolerance × expected; 严重滞后 short by more, or short and moving away from the target (worse than
-- the previous year). With no path, an unmet target is 滞后, or 严重滞后 when moving away.
CREATE OR REPLACE TEMP MACRO path_status(value, met, expected, previous, sign, tolerance) AS
    CASE WHEN met THEN '已达标'
         WHEN expected IS NULL THEN CASE WHEN sign * (value - previous) < 0 THEN '严重滞后' ELSE '滞后' END
         WHEN sign * (expected - value) <= 0 THEN '正常'
         WHEN sign * (value - previous) < 0 OR sign * (expected - value) > tolerance * abs(expected) THEN '严重滞后'
         ELSE '滞后' END;

-- value ÷ target, or target ÷ value when less is better.
CREATE OR REPLACE TEMP MACRO attainment(value, target, sign) AS
    CASE WHEN value IS NULL OR target IS NULL THEN NULL
         WHEN sign = 1 THEN CASE WHEN target <> 0 THEN value / target END
         WHEN value <> 0 THEN target / value WHEN target >= 0 THEN 1.0 END;

-- What is still needed, in the numerator's own units, to reach the threshold t (NULL, never an error,
-- for a figure too large to count in whole units):
-- rates ⌈t ÷ scale × Σdenominator⌉ − Σnumerator (or Σnumerator − ⌊…⌋ when less is better); counts ⌈t − value⌉.
CREATE OR REPLACE TEMP MACRO at_least_zero(x) AS CASE WHEN x < 0 THEN 0 ELSE x END;
CREATE OR REPLACE TEMP MACRO gap_units(kind, sign, scale, numerator, denominator, value, t) AS
    CASE WHEN t IS NULL THEN NULL
         WHEN kind = 'count' THEN at_least_zero(TRY_CAST(ceil(sign * (t - value) - 1e-9) AS BIGINT))
         WHEN numerator IS NULL OR denominator IS NULL THEN NULL
         WHEN sign = 1 THEN at_least_zero(TRY_CAST(ceil(t / coalesce(scale, 100) * denominator - 1e-9) AS BIGINT)
                                          - TRY_CAST(round(numerator) AS BIGINT))
         ELSE at_least_zero(TRY_CAST(round(numerator) AS BIGINT)
                            - TRY_CAST(floor(t / coalesce(scale, 100) * denominator + 1e-9) AS BIGINT)) END;

-- The Wilson score interval of a proportion k ÷ n at z (1.96 for 95 %).
CREATE OR REPLACE TEMP MACRO wilson_low(k, n, z) AS
    CASE WHEN n > 0 THEN ((k / n + z * z / (2 * n))
                          - z * sqrt(greatest(k / n * (1 - k / n), 0) / n + z * z / (4 * n * n))) / (1 + z * z / n) END;
CREATE OR REPLACE TEMP MACRO wilson_high(k, n, z) AS
    CASE WHEN n > 0 THEN ((k / n + z * z / (2 * n))
                          + z * sqrt(greatest(k / n * (1 - k / n), 0) / n + z * z / (4 * n * n))) / (1 + z * z / n) END;

-- Open SDG's R: the observed compound annual growth rate over the required one.
-- observed = (last ÷ first)^(1 ÷ (last_year − first_year)) − 1; required = (target ÷ first)^(1 ÷ (target_year − first_year)) − 1
CREATE OR REPLACE TEMP MACRO growth_ratio(first_year, first_value, last_year, last_value, target_year, target_value) AS
    CASE WHEN first_year IS NULL OR first_value IS NULL OR last_value IS NULL OR target_value IS NULL
              OR last_year <= first_year OR target_year <= first_year
              OR first_value <= 0 OR last_value <= 0 OR target_value <= 0
              OR (target_value / first_value) ** (1.0 / (target_year - first_year)) - 1 = 0 THEN NULL
         ELSE ((last_value / first_value) ** (1.0 / (last_year - first_year)) - 1)
              / ((target_value / first_value) ** (1.0 / (target_year - first_year)) - 1) END;

-- 已实现 when met; else R ≥ 0.95 显著进展, 0.6–0.95 中等进展, 0–0.6 进展有限, < 0 倒退.
CREATE OR REPLACE TEMP MACRO growth_band(ratio, met) AS
    CASE WHEN met THEN '已实现' WHEN ratio IS NULL THEN NULL WHEN ratio >= 0.95 THEN '显著进展'
         WHEN ratio >= 0.6 THEN '中等进展' WHEN ratio >= 0 THEN '进展有限' ELSE '倒退' END;

-- A sentence where the path status and the growth band tell different stories.
CREATE OR REPLACE TEMP MACRO disagreement(status, band) AS
    CASE WHEN band IS NULL OR status IS NULL OR status NOT IN ('已达标', '正常', '滞后', '严重滞后') THEN NULL
         WHEN (status = '已达标' AND band = '已实现') OR (status = '正常' AND band IN ('显著进展', '已实现'))
              OR (status = '滞后' AND band IN ('中等进展', '显著进展'))
              OR (status = '严重滞后' AND band IN ('进展有限', '倒退', '中等进展')) THEN NULL
         ELSE '按目标路径为「' || status || '」，按年均增速为「' || band || '」' END;
