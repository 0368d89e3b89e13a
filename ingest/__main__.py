"""Command line: python -m ingest {load, drain, pending, approve, return, reopen, catalog, template, demo, export,
import-package, …}."""
from __future__ import annotations

import importlib
import datetime as dt
import json
import sys
from pathlib import Path

import duckdb

from warehouse import config
from warehouse.access import COMMAND_LINE, RESTORE, personal_actor, server_mode
from warehouse.audit import record as audit_record
from warehouse.cli import Parser
from warehouse.db import (WarehouseBusy, WarehouseDamaged, WarehouseUnusable, backups_dir, connect_or_explain as connect,
                          explain, first_row)
from warehouse.journal import JOURNAL, replay

from .catalog import Catalog, load_catalog, read_catalog
from .backup import BackupFailed, RestoreRefused, backup, backup_files, latest, record_noted, restore
from .demo import build_demo
from . import approval_cli
from .inbox import drain, enqueue, inbox_dir
from .normalise import INVALID, parse_period, printable
from .batch import receive_all
from .pipeline import ACCEPTED, DUPLICATE, REFUSED, REJECTED, FileResult
from .problems import Problem
from .template import build_template, file_name

STATUS_WORDS = {ACCEPTED: "已接收", REJECTED: "已退回", DUPLICATE: "重复，未再次导入", REFUSED: "已拒收"}
PENDING_WORDS = "已接收，待审核"


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m ingest", description="把填报文件和指标体系检查后导入监测数据库。")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    p = sub.add_parser("load", help="检查并导入填报文件")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--db", type=Path, default=None, help="数据库文件（默认 data/warehouse.duckdb）")
    p.add_argument("--department", help="填报单位：编码、名称或别名（默认取文件表头）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.add_argument("--received-at", type=dt.datetime.fromisoformat, help="补录历史文件时的接收时间（ISO 格式）")
    p.add_argument("--by", help="接收人（默认当前系统用户）")

    p = sub.add_parser("drain", help="导入收件箱中等待的文件（服务器模式下命令行放入的文件；看板未运行时使用）")
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.add_argument("--by", help="导入人（默认当前系统用户）")

    approval_cli.add_parsers(sub)

    p = sub.add_parser("catalog", help="检查并导入指标体系工作簿")
    p.add_argument("file", nargs="?", type=Path, default=config.CATALOG_PATH)
    p.add_argument("--communities", type=Path, help="单独的社区名册（CSV 或 xlsx；全省、全国的名册可有几十万行）")
    p.add_argument("--db", type=Path, default=None)

    p = sub.add_parser("template", help="生成部门填报模板")
    p.add_argument("--department", required=True)
    p.add_argument("--period", required=True, help="统计期：2026、2026-Q1 或 2026-03")
    p.add_argument("-o", "--output", type=Path)
    p.add_argument("--db", type=Path, default=None, help="从数据库读取指标体系（默认读 data/catalog.xlsx）")

    p = sub.add_parser("evidence", help="为任务添加佐证材料：PDF、图片或 Word 文件，或文号")
    p.add_argument("--task", required=True, help="任务编码，如 T-01")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("file", nargs="?", type=Path, help="佐证文件（PDF、PNG、JPG、DOC、DOCX）")
    what.add_argument("--docno", help="文号，如 德妇字〔2024〕35号")
    p.add_argument("--by", help="提交人（默认当前系统用户）")
    p.add_argument("--db", type=Path, default=None)

    p = sub.add_parser("export", help="把本市当前数据导出为城市数据包（Parquet 文件和 manifest.json），报送上级")
    p.add_argument("--to", type=Path, required=True, metavar="DIR", help="导出到的文件夹（须不存在或为空）")
    p.add_argument("--db", type=Path, default=None)

    p = sub.add_parser("import-package", help="检查并导入各城市的数据包（省级或更上级数据库）")
    p.add_argument("packages", nargs="+", type=Path, metavar="DIR", help="数据包文件夹（含 manifest.json）")
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--by", help="接收人（默认当前系统用户）")

    p = sub.add_parser("demo", help="用 data/catalog.xlsx 和 data/demo/ 重建演示数据库")
    p.add_argument("--db", type=Path, default=None)

    p = sub.add_parser("backup", help="备份数据库和收到的全部文件（默认存到数据库旁的 backups 文件夹）")
    p.add_argument("-o", "--output", type=Path, help="备份文件夹（须不存在）")
    p.add_argument("--by", help="备份人，记入操作记录（默认当前系统用户）")
    p.add_argument("--db", type=Path, default=None)

    p = sub.add_parser("rebuild", help="按日志重放，在新位置重建数据库（与原库逐表一致）")
    p.add_argument("--from", dest="source", type=Path, required=True, help="archive 文件夹（含 journal.jsonl）")
    p.add_argument("--db", type=Path, required=True, help="新数据库文件（须不存在；它的 archive 建在旁边）")

    p = sub.add_parser("restore", help="用备份替换数据库（原文件保留为 .damaged-时间）")
    p.add_argument("source", nargs="?", type=Path, help="备份文件夹（默认最近一次备份）")
    p.add_argument("--db", type=Path, default=None)

    args = parser.parse_args(argv)
    try:
        return {"load": _load, "drain": _drain, "pending": lambda a: approval_cli.list_pending(a, _db(a)),
                "approve": _decide, "return": _decide, "reopen": _decide, "catalog": _catalog, "template": _template, "demo": _demo, "backup": _backup,
                "restore": _restore, "rebuild": _rebuild, "evidence": _evidence,
                "export": _export, "import-package": _import_package}[args.command](args)
    except WarehouseUnusable as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except duckdb.Error as e:  # e.g. a checksum error met while reading a damaged file
        explained = explain(e, args.db or config.default_db_path())
        if explained is None:
            raise
        print(f"错误：{explained}", file=sys.stderr)
        return 2


def _db(args) -> Path:
    return args.db or config.default_db_path()


def _actor(args):
    """Who changes the warehouse from the command line: whoever runs it on the server (a 管理员), named --by
    or the computer's user."""
    return personal_actor(getattr(args, "by", None), address=COMMAND_LINE)


def _load(args) -> int:
    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"用法错误：找不到文件 {'、'.join(printable(m) for m in missing)}", file=sys.stderr)
        return 2
    db = _db(args)
    try:
        con = connect(db)
    except WarehouseBusy:  # the dashboard holds the warehouse: queue the files for it, never refuse unrecorded
        return _queue(args, db, f"看板正在使用数据库：{len(args.files)} 个文件已放入收件箱 {printable(inbox_dir(db))}，"
                                "看板下次刷新任一页面时按同样的检查导入，结果见「数据上传」页。")
    if server_mode(con):   # one writer: in server mode every change goes through the dashboard
        con.close()
        return _queue(args, db, f"服务器模式：命令行不直接写入数据库。{len(args.files)} 个文件已放入收件箱 "
                                f"{printable(inbox_dir(db))}，看板下次刷新任一页面时按同样的检查导入"
                                "（看板未运行时可运行 python -m ingest drain），通过检查后等待管理员审核。")
    if not first_row(con, "SELECT count(*) FROM indicator")[0]:
        print("用法错误：数据库中还没有指标体系，请先运行 python -m ingest catalog", file=sys.stderr)
        return 2
    if args.department and Catalog.from_db(con).department_code(args.department) is None:
        print(f"用法错误：无法识别部门「{args.department}」", file=sys.stderr)
        return 2
    results = receive_all(con, args.files, config.archive_dir(db), department=args.department,
                          received_at=args.received_at, received_by=args.by, actor=_actor(args))
    con.close()
    return _report(args, results)


def _report(args, results, done: str | None = None) -> int:
    """Each file's outcome, as JSON or one line each (then `done`); 1 when any was refused."""
    if args.json:
        print(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            _print_result(r)
        if done:
            print(done)
    return 1 if any(r.refused for r in results) else 0


def _queue(args, db: Path, message: str) -> int:
    for f in args.files:
        enqueue(Path(f), db, args.department, _actor(args).name, args.received_at)
        if not args.json:
            print(f"queued\t{printable(Path(f).name)}\t已放入收件箱")
    if args.json:
        print(json.dumps([{"file": Path(f).name, "status": "queued"} for f in args.files], ensure_ascii=False, indent=2))
    print(message, file=sys.stderr if args.json else sys.stdout)
    return 0


def _drain(args) -> int:
    db = _db(args)
    con = connect(db)
    try:
        results = drain(con, db, _actor(args))
        record_noted(con, db)   # and backups taken while the dashboard held the warehouse
    finally:
        con.close()
    return _report(args, results, f"收件箱中的 {len(results)} 个文件已处理。" if results else "收件箱中没有等待导入的文件。")


def _decide(args) -> int:
    return approval_cli.decide(args, _db(args), _actor(args))


def _print_result(r: FileResult) -> None:
    detail = f"{r.department_code or '?'} {'、'.join(r.periods)} {r.rows} 行" if r.status == ACCEPTED else (
        f"{len(r.errors)} 个错误" if r.status == REJECTED else "不是本部门的文件" if r.status == REFUSED else
        f"与第 {r.submission_id} 号报送内容相同（当时{STATUS_WORDS[r.earlier_status]}）")
    if r.pending and r.status == ACCEPTED:
        detail += f"，第 {r.submission_id} 号报送，管理员审核通过后计入"
    words = PENDING_WORDS if r.pending and r.status == ACCEPTED else STATUS_WORDS[r.status]
    print(f"{r.status}\t{printable(r.file)}\t{words}\t{printable(detail)}")
    for p in (r.errors if r.refused else []) + (r.warnings if r.status != DUPLICATE else []):
        print(f"  {_problem_line(p)}")


def _problem_line(p: Problem) -> str:
    where = " ".join(x for x in (f"[{p.sheet}]" if p.sheet else "", p.cell or "") if x)
    kind = "错误" if p.severity == "error" else "提示"
    return printable(f"{kind} {where} {p.message}".replace("  ", " "))


def _catalog(args) -> int:
    if not args.file.is_file():
        print(f"用法错误：找不到文件 {printable(args.file)}", file=sys.stderr)
        return 2
    if args.communities is not None and not args.communities.is_file():
        print(f"用法错误：找不到文件 {printable(args.communities)}", file=sys.stderr)
        return 2
    data = args.file.read_bytes()
    listed = (args.communities.read_bytes(), args.communities.name) if args.communities else None
    catalog, problems = read_catalog(data, args.file.name, listed)
    for p in problems:
        print(_problem_line(p))
    if catalog is None:
        print(f"rejected\t{printable(args.file.name)}\t指标体系未导入：{len(problems)} 个问题")
        return 1
    con = connect(_db(args))
    load_catalog(con, catalog, data, args.file.name, master_list=listed, actor=_actor(args))
    con.close()
    print(f"accepted\t{printable(args.file.name)}\t指标 {len(catalog.indicators)} 项，目标 {len(catalog.targets)} 条，"
          f"区县 {len(catalog.districts)} 个，部门 {len(catalog.departments)} 个，社区 {len(catalog.communities)} 个")
    return 0


def _evidence(args) -> int:
    from .evidence import EvidenceRefused, attach_doc_number, attach_file
    if args.file is not None and not args.file.is_file():
        print(f"用法错误：找不到文件 {printable(args.file)}", file=sys.stderr)
        return 2
    con = connect(_db(args))
    try:
        if args.file is not None:
            sha = attach_file(con, args.task, args.file.read_bytes(), args.file.name, actor=_actor(args))
            print(f"accepted\t{printable(args.file.name)}\t任务 {printable(args.task)} 的佐证材料已保存（SHA-256 {sha[:12]}…）")
        else:
            attach_doc_number(con, args.task, args.docno, actor=_actor(args))
            print(f"accepted\t{printable(args.docno)}\t任务 {printable(args.task)} 的文号已记录")
    except EvidenceRefused as e:
        print(f"rejected\t{printable(args.file.name if args.file else args.docno)}\t{e}")
        return 1
    finally:
        con.close()
    return 0


def _export(args) -> int:
    from .package import PackageRefused, export_package
    db = _db(args)
    if not db.exists():
        print(f"用法错误：找不到数据库 {printable(db)}", file=sys.stderr)
        return 2
    con = connect(db, read_only=True)   # export_package refuses a folder that is not new or empty
    try:
        manifest = export_package(con, args.to)
    except PackageRefused as e:
        print(f"用法错误：{e}", file=sys.stderr)
        return 2
    finally:
        con.close()
    rows = {f["name"]: f["rows"] for f in manifest["files"]}
    print(f"已导出 {printable(manifest['area']['name'])}（{manifest['area']['code']}）的数据包到 {printable(args.to)}："
          f"当前数据 {rows['observation.parquet']} 行，台账 {rows['register_entry.parquet']} 行，"
          f"来自 {rows['submission.parquet']} 份报送。请把整个文件夹发送给上级。")
    return 0


def _import_package(args) -> int:
    from .package import receive_folder
    missing = [d for d in args.packages if not d.is_dir()]
    if missing:
        print(f"用法错误：找不到数据包文件夹 {'、'.join(printable(m) for m in missing)}", file=sys.stderr)
        return 2
    db = _db(args)
    con = connect(db)
    try:
        if not first_row(con, "SELECT count(*) FROM indicator")[0]:
            print("用法错误：数据库中还没有指标体系，请先运行 python -m ingest catalog 导入本级指标体系", file=sys.stderr)
            return 2
        results = [receive_folder(con, d, config.archive_dir(db), received_by=args.by, actor=_actor(args))
                   for d in args.packages]
    finally:
        con.close()
    for r in results:
        if r.status == ACCEPTED:
            detail = (f"{r.file_name}：当前数据 {r.observations} 行，台账 {r.register_entries} 行"
                      + (f"，撤下旧数据包中不再报送的 {r.withdrawn} 项" if r.withdrawn else ""))
        elif r.status == DUPLICATE:
            detail = f"与第 {r.submission_id} 号报送（{r.area_name} 数据包）内容相同，未再次导入"
        else:
            detail = f"{len(r.problems)} 个问题，数据包中的数据均未导入"
        print(f"{r.status}\t{printable(r.package)}\t{STATUS_WORDS[r.status]}\t{printable(detail)}")
        for problem in r.problems:
            print(f"  错误 {printable(problem)}")
    return 1 if any(r.status == REJECTED for r in results) else 0


def _template(args) -> int:
    if args.db:
        catalog = Catalog.from_db(connect(args.db, read_only=True))
    else:
        catalog, problems = read_catalog(config.CATALOG_PATH.read_bytes())
        if catalog is None:
            for p in problems:
                print(_problem_line(p), file=sys.stderr)
            return 1
    code = catalog.department_code(args.department)
    period = parse_period(args.period)
    if code is None or period in (None, INVALID):
        print(f"用法错误：无法识别{'部门' if code is None else '统计期'}「{args.department if code is None else args.period}」",
              file=sys.stderr)
        return 2
    try:
        data = build_template(catalog, code, period)
    except ValueError as e:
        print(f"用法错误：{e}", file=sys.stderr)
        return 2
    out = args.output or Path(file_name(catalog, code, period))
    out.write_bytes(data)
    print(out)
    return 0


def _demo(args) -> int:
    db = _db(args)
    results = build_demo(db)
    for r in results:
        _print_result(r)
    accepted = sum(r.status == ACCEPTED for r in results)
    print(f"演示数据库已重建：{db}（{accepted} 个文件已接收，{len(results) - accepted} 个退回）")
    return 0


def _backup(args) -> int:
    db = _db(args)
    if not db.exists():
        print(f"用法错误：找不到数据库 {printable(db)}", file=sys.stderr)
        return 2
    if args.output and args.output.exists():
        print(f"用法错误：{printable(args.output)} 已存在，请指定一个新的文件夹", file=sys.stderr)
        return 2
    try:
        con = connect(db)
    except WarehouseBusy:  # the dashboard holds it: copy the files when no load is writing; it records the backup
        try:
            made = backup_files(db, args.output, actor=_actor(args))
        except BackupFailed as e:
            print(f"错误：{e}", file=sys.stderr)
            return 2
        print("看板正在使用数据库：这次备份由看板在下次刷新任一页面时记入操作记录。")
    else:
        try:
            made = backup(con, db, args.output, actor=_actor(args))
        finally:
            con.close()
    print(f"已备份到 {printable(made)}（数据库和 archive 中收到的全部文件）。恢复：python -m ingest restore {printable(made)}")
    return 0


def _rebuild(args) -> int:
    importlib.import_module("meetings.records")  # the entry point registers how meetings' changes replay
    importlib.import_module("ingest.evidence")   # and how evidence attached to tasks does
    importlib.import_module("ingest.package")    # and how city packages loaded into a province do
    importlib.import_module("accounts")          # and how account changes and logins do
    if args.db.exists():
        print(f"用法错误：{printable(args.db)} 已存在；请指定一个新的数据库文件", file=sys.stderr)
        return 2
    if not (args.source / JOURNAL).exists():
        print(f"用法错误：{printable(args.source)} 中没有 {JOURNAL}", file=sys.stderr)
        return 2
    con = connect(args.db)
    done = replay(con, args.source)
    con.execute("CHECKPOINT")
    con.close()
    print(f"已按日志重放 {done} 项操作，重建了 {printable(args.db)}（收到的文件已复制到它旁边的 archive）。")
    return 0


def _restore(args) -> int:
    db = _db(args)
    source = args.source or latest(db)
    if source is None:
        print(f"用法错误：{printable(backups_dir(db))} 中没有备份，请指定备份文件夹", file=sys.stderr)
        return 2
    if db.exists():  # the warehouse must not be in use: opening it checks the lock (a damaged file is fine)
        try:
            connect(db).close()
        except WarehouseDamaged:
            pass
    try:
        kept, newer = restore(source, db)
    except RestoreRefused as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    restored = connect(db)   # the restored warehouse records who put it back, and from which backup
    try:
        audit_record(restored, _actor(args), RESTORE, "backup", str(source),
                     f"用备份恢复数据库；之后收到的 {len(newer)} 个文件需重新导入")
    finally:
        restored.close()
    print(f"已用备份 {printable(source)} 恢复数据库 {printable(db)}。" +
          (f"原数据库保留为 {printable(kept)}。" if kept else ""))
    if newer:
        print(f"备份之后收到的 {len(newer)} 个文件需要重新导入（原文件都在 archive 中）：")
        for name in newer:
            print(f"  {printable(name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
