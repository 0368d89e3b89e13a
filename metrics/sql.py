"""The SQL of the metrics package: the rule macros (rules.sql) and the queries that apply them."""
from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources

import duckdb
import pandas as pd

FOREVER = dt.datetime(9999, 12, 31)   # "as of" meaning everything received so far


@cache
def text(name: str) -> str:
    return resources.files("metrics").joinpath(name).read_text(encoding="utf-8")


def use_rules(con: duckdb.DuckDBPyConnection) -> None:
    """Create the rule macros on this connection. They are temporary: a cursor or a read-only
    warehouse gets its own, and the warehouse file never holds a copy that could go stale."""
    con.execute(text("rules.sql"))


def query(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> pd.DataFrame:
    """Run one of the package's .sql files with the rules in place; the result is finished."""
    use_rules(con)
    return con.execute(text(name), params).df()
