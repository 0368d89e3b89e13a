"""Command line: python -m metrics {report, board, diff}."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd

from warehouse import config
from warehouse.cli import Parser
from warehouse.db import WarehouseUnusable, connect_or_explain as connect, explain

from warehouse.breakdowns import DIMENSIONS

from .board import reporting_rates, submission_board
from .breakdown import breakdown_values
from .diff import diff
from .report import report

BREAKDOWN_FIELDS = ["indicator", "indicator_name", "district_code", "district", "year", "period", "dimension", "part",
                    "numerator", "denominator", "value", "unit", "gap_to_best", "best_part", "districts_reported",
                    "file_name", "sheet", "row_number"]
BOARD_FIELDS = ["department", "frequency", "period", "deadline", "status", "received_at", "days_late", "file_name",
                "contact", "phone"]


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _open(db: Path) -> duckdb.DuckDBPyConnection:
    """Writable when it can be, so the first report after a load keeps the table it computed
    (progress_cache) for every report after it; read-only on read-only media."""
    try:
        return connect(db)
    except WarehouseUnusable:
        raise
    except (duckdb.Error, OSError):
        return connect(db, read_only=True)


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m metrics", description="按区县和年度计算监测指标。")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    common = Parser(add_help=False)
    common.add_argument("--db", type=Path, default=None, help="数据库文件（默认 data/warehouse.duckdb）")
    common.add_argument("--format", choices=("table", "csv", "json"), default="table")

    p = sub.add_parser("report", parents=[common], help="每个指标 × 区县 × 年度一行")
    p.add_argument("--year", type=int)
    p.add_argument("--as-of", type=_moment, help="按某一时刻已接收的数据计算（ISO 时间）")
    p.add_argument("--level", choices=("city", "district", "all"), default="all")
    p.add_argument("--by", choices=DIMENSIONS, help="按分组（性别、年龄组、城乡）列出各分组的数值")
    p.add_argument("--indicator", help="只列一个指标（指标编码，如 PS-08）")

    p = sub.add_parser("board", parents=[common], help="报送情况")
    p.add_argument("--as-of", type=_moment)

    p = sub.add_parser("diff", parents=[common], help="两个时刻之间的变化")
    p.add_argument("--from", dest="start", type=_moment, required=True)
    p.add_argument("--to", dest="end", type=_moment, required=True)
    p.add_argument("--year", type=int)

    args = parser.parse_args(argv)
    db = args.db or config.default_db_path()
    if not Path(db).exists():
        print(f"用法错误：找不到数据库 {db}（可先运行 python -m ingest demo）", file=sys.stderr)
        return 2
    try:
        return _run(_open(db), args)
    except WarehouseUnusable as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except duckdb.Error as e:  # e.g. a checksum error met while reading a damaged file
        explained = explain(e, db)
        if explained is None:
            raise
        print(f"错误：{explained}", file=sys.stderr)
        return 2


def _run(con, args) -> int:
    if args.command == "report" and args.by:
        parts = breakdown_values(con, args.year, args.indicator and args.indicator.upper(), args.by, args.as_of,
                                 args.level)
        _emit(parts[BREAKDOWN_FIELDS], args.format)
    elif args.command == "report":
        _emit(report(con, args.year, args.as_of, args.level, args.indicator), args.format)
    elif args.command == "board":
        board = submission_board(con, args.as_of)
        if args.format == "json":
            print(json.dumps({"board": _records(board[BOARD_FIELDS]), "rates": _records(reporting_rates(board))},
                             ensure_ascii=False, indent=2, default=str))
        else:
            _emit(board[BOARD_FIELDS], args.format)
            if args.format == "table":
                print()
                _emit(reporting_rates(board), "table")
    else:
        sections = diff(con, args.start, args.end, args.year)
        if args.format == "json":
            print(json.dumps({k: _records(v) for k, v in sections.items()}, ensure_ascii=False, indent=2,
                             default=str))
        else:
            for name, frame in sections.items():
                if args.format == "table":
                    print(f"## {name} ({len(frame)})")
                _emit(frame.assign(section=name) if args.format == "csv" else frame, args.format)
    return 0


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))


def _emit(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    elif fmt == "json":
        print(json.dumps(_records(frame), ensure_ascii=False, indent=2))
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 250,
                               "display.float_format", lambda v: f"{v:,.2f}"):
            print(frame.to_string(index=False) if not frame.empty else "（无）")


if __name__ == "__main__":
    sys.exit(main())
