"""Canonical periods (统计期 "YYYY", "YYYY-Qn" or "YYYY-MM"): their year, frequency and last day.

Reading what people type into a canonical period is ingest's (ingest.normalise.parse_period); what a
canonical period means is shared by what loads figures and what reports on them.
"""
from __future__ import annotations

import datetime as dt


def period_year(period: str) -> int:
    return int(period[:4])


def period_frequency(period: str) -> str:
    """"year", "quarter" or "month" for a canonical period."""
    if len(period) == 4:
        return "year"
    return "quarter" if "Q" in period else "month"


def period_end(period: str) -> dt.date:
    """The last day a period covers."""
    year = period_year(period)
    freq = period_frequency(period)
    if freq == "year":
        return dt.date(year, 12, 31)
    month = int(period[-1]) * 3 if freq == "quarter" else int(period[5:7])
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def year_before(period: str) -> str:
    """The same period a year earlier: 2025 → 2024, 2025-Q3 → 2024-Q3, 2025-07 → 2024-07."""
    return str(period_year(period) - 1) + period[4:]
