"""Command line: python -m briefing --meeting latest|ID [-o OUTDIR] [--db PATH] [--year Y] [--zip].

Writes 周例会简报_<date>.docx, .xlsx and .html for one meeting (with --zip, also the three in one .zip)
and prints their paths.
Exit 0 when written; 2 when the meeting, the warehouse or its data cannot be used (message on stderr, in Chinese).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from warehouse import config
from warehouse.cli import Parser
from warehouse.db import WarehouseUnusable, connect_or_explain, explain
from metrics.meeting import meeting_pack, meetings
from metrics.values import area_names

from .export import file_stem, files, zip_of

LATEST = "latest"


def _meeting_arg(text: str) -> str | int:
    if text == LATEST:
        return LATEST
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"会议须为编号（如 3）或 {LATEST}，不能是「{text}」") from None


def _fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m briefing",
                     description="把一次周例会导出为简报：Word（.docx）、Excel（.xlsx）和可离线打开的网页（.html）。")
    parser.add_argument("--meeting", type=_meeting_arg, default=LATEST,
                        help=f"会议编号，或 {LATEST}（最近一次会议，默认）")
    parser.add_argument("-o", "--out", type=Path, default=Path("out"), help="输出目录（默认 out/）")
    parser.add_argument("--db", type=Path, default=None, help="数据库文件（默认 data/warehouse.duckdb 或 $CFC_DB）")
    parser.add_argument("--year", type=int, default=None, help="年度（默认：会议时数据最全的年度）")
    parser.add_argument("--place", default=None,
                        help="地区代码：只看该地区及其下一级（默认：整棵地区树的顶层，如全市）")
    parser.add_argument("--zip", action="store_true", help="另把三个文件打包为一个 .zip")
    args = parser.parse_args(argv)

    db = args.db or config.default_db_path()
    if not Path(db).exists():
        return _fail(f"找不到数据库 {db}（可先运行 python -m ingest demo，或用 --db 指定）")
    try:
        con = connect_or_explain(db, read_only=True)
    except WarehouseUnusable as e:
        return _fail(str(e))
    try:
        try:
            listed = meetings(con)
        except duckdb.CatalogException:  # a warehouse built before meetings were recorded
            listed = None
        if listed is None or listed.empty:
            return _fail("数据库中还没有会议记录。请先在看板的「周例会」页点击“开始本周例会”，再导出简报。")
        if args.meeting == LATEST:
            meeting_id = int(listed.iloc[0]["id"])
        else:
            meeting_id = args.meeting
            if meeting_id not in set(listed["id"].astype(int)):
                known = "、".join(f"{int(r.id)}（{r.held_on:%Y-%m-%d} {r.title}）" for r in listed.head(10).itertuples())
                return _fail(f"没有编号为 {meeting_id} 的会议。现有会议：{known}")
        if args.place is not None and args.place not in set(area_names(con).index):
            return _fail(f"没有代码为 {args.place} 的地区。请用指标体系「区县」表中的代码，例如 "
                         f"{'、'.join(area_names(con).index[:3])}。")
        try:
            pack = meeting_pack(con, meeting_id, year=args.year, place=args.place)
        except duckdb.CatalogException:  # read-only: the schema of an older version is not brought up to date
            return _fail(f"数据库 {db} 由旧版本建立，缺少新版本的数据表。请先启动一次看板（会补齐数据表），"
                         "或重建演示数据库（python -m ingest demo），再导出简报。")
    except duckdb.Error as e:  # e.g. a checksum error met while reading a damaged file
        explained = explain(e, db)
        if explained is None:
            raise
        return _fail(str(explained))
    finally:
        con.close()
    if pack.year is None or pack.progress.empty:
        year = f"{args.year}年" if args.year else ""
        return _fail(f"会议（编号 {meeting_id}）时数据库中没有{year}指标数据，无法生成简报。")

    stem = file_stem(pack)
    out = args.out
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        contents = files(pack)
        if args.zip:
            contents[f"{stem}.zip"] = zip_of(dict(contents))
        for name, content in contents.items():
            path = out / name
            path.write_bytes(content)
            written.append(path)
    except OSError as e:
        return _fail(f"无法写入 {out}：{e.strerror or e}（文件是否正被 Word 或 Excel 打开？）")
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
