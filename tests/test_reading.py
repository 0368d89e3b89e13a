"""A figure read beside its target agrees with its status: never equal to or past the target when not
met, never short of it when met, whatever the numbers (metrics.reading.value)."""
from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from metrics.reading import target, value


def shown_number(text: str) -> float:
    return float(re.match(r"-?[\d,]+(\.\d+)?", text).group(0).replace(",", ""))


def met_like_the_rules(v: float, t: float, sign: int) -> bool:
    """rules.sql `meets`: sign × (value − threshold) ≥ −1e-9 × max(1, |threshold|)."""
    return sign * (v - t) >= -1e-9 * max(1.0, abs(t))


@settings(max_examples=2000, deadline=None)
@given(numerator=st.integers(0, 10**7), extra=st.integers(0, 10**7), target_tenths=st.integers(0, 1000),
       scale=st.sampled_from([100, 1000]), sign=st.sampled_from([1, -1]))
@example(numerator=184_717, extra=200_780 - 184_717, target_tenths=920, scale=100, sign=1)   # PS-09: 91.9997 %
@example(numerator=3_728, extra=1, target_tenths=1000, scale=100, sign=1)                    # 99.97 % beside 100 %
@example(numerator=9, extra=1_520, target_tenths=52, scale=1000, sign=-1)                     # 5.886 ‰ beside 5.2 ‰
def test_a_rate_reads_the_way_its_status_says(numerator, extra, target_tenths, scale, sign):
    denominator = numerator + extra
    if denominator == 0:
        return
    v = numerator / denominator * scale
    t = target_tenths / 10
    unit = "%" if scale == 100 else "‰"
    met = met_like_the_rules(v, t, sign)
    shown = shown_number(value(v, unit, t, met, sign))
    if met:
        assert sign * (shown - t) >= 0, (v, t)
    else:
        assert sign * (shown - t) < 0, (v, t)


@settings(max_examples=500, deadline=None)
@given(v=st.integers(0, 10**6), t=st.integers(1, 10**6), sign=st.sampled_from([1, -1]))
def test_a_count_reads_the_way_its_status_says(v, t, sign):
    met = met_like_the_rules(v, t, sign)
    shown = shown_number(value(v, "个", t, met, sign))
    assert (sign * (shown - t) >= 0) == met


def test_hand_examples():
    # PS-09 2025: 184,717 / 200,780 = 91.99970…% is not 92 %: four decimals are needed to show it
    assert value(184_717 / 200_780 * 100, "%", 92, False, 1) == "91.9997%"
    # met exactly: one decimal as usual
    assert value(92.0, "%", 92, True, 1) == "92.0%"
    # less is better and met: 5.146‰ reads 5.1‰, under 5.2‰
    assert value(310 / 60_235 * 1000, "‰", 5.2, True, -1) == "5.1‰"
    # less is better, not met by a hair: 5.2004‰ must not read 5.2‰
    assert value(5.2004, "‰", 5.2, False, -1) == "5.2004‰"
    # a count keeps its unit and separators
    assert value(1234, "个", 1300, False, 1) == "1,234 个"
    # no target: as before, 99.97 % is never rounded up to 100.0 %
    assert value(99.97, "%") == "99.97%"


def test_targets_read_as_the_plan_writes_them():
    assert target(50, "%", "about") == "约50%"
    assert target(5.2, "‰", "at_most") == "≤5.2‰"
    assert target(10, "件", None, True) == "10 件（待确认）"
    assert target(4.55, "个/千人") == "4.55 个/千人"
