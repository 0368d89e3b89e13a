"""The district ranking, computed once for the 区县对比 page, the weekly meeting and its briefing."""
from __future__ import annotations

import pandas as pd

from .progress import BEHIND, FAR_BEHIND, MET, ON_TRACK, rank_districts

RATED = (MET, ON_TRACK, BEHIND, FAR_BEHIND)
RANKING_COLUMNS = ["place", "district_code", "district", "met", "rated", "mean_rank"]


def district_ranking(table: pd.DataFrame) -> pd.DataFrame:
    """Districts ranked for one year: place, district_code, district, met, rated, mean_rank.

    `table` is a progress table (metrics.progress.progress_table) for one year; the city's rows
    (is_city) are left out, whatever filters were applied before.

    - met: indicators 已达标 for the district.
    - rated: indicators with a status of the district's own (已达标, 正常, 滞后 or 严重滞后); 无数据 and
      未分解 (a count whose target is the city's total) count in neither met nor rated.
    - mean_rank: the mean, over the indicators where the district has a figure, of its rank among the
      districts with a figure for that indicator (1 = best, direction-aware, ties share the best rank;
      see rank_districts); empty for a district with no figure at all.
    - place: 1, 2, … by met (more first), then mean_rank (lower first), then catalog order (the
      table's order); a district with no figure comes last.
    """
    local = table[~table["is_city"].astype(bool)]
    if local.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in RANKING_COLUMNS})
    order = list(dict.fromkeys(local["district_code"]))
    names = local.drop_duplicates("district_code").set_index("district_code")["district"]
    status = local.groupby("district_code")["status"]
    ranks = rank_districts(local)
    ranking = pd.DataFrame({"district_code": order})
    ranking["district"] = ranking["district_code"].map(names)
    ranking["met"] = ranking["district_code"].map(status.apply(lambda s: int((s == MET).sum()))).astype(int)
    ranking["rated"] = ranking["district_code"].map(status.apply(lambda s: int(s.isin(RATED).sum()))).astype(int)
    ranking["mean_rank"] = ranking["district_code"].map(ranks.groupby("district_code")["rank"].mean()).astype(float)
    ranking["_order"] = range(len(ranking))
    ranking = ranking.sort_values(["met", "mean_rank", "_order"], ascending=[False, True, True],
                                  na_position="last").reset_index(drop=True)
    ranking.insert(0, "place", range(1, len(ranking) + 1))
    return ranking[RANKING_COLUMNS]
