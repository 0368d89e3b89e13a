"""python -m ingest pending | approve ID | return ID --reason 文字 | reopen ID --reason 文字 (审核, issue 13)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from warehouse.access import Actor, NotAllowed
from warehouse.db import connect_or_explain as connect

from .approval import ApprovalRefused, approve, pending, reopen, return_submission
from .normalise import printable

DONE = {"approve": "已审核通过，数据已计入", "return": "已退回，部门将看到退回原因",
        "reopen": "已重新打开，数据暂不计入，等待重新审核"}


def add_parsers(sub) -> None:
    p = sub.add_parser("pending", help="列出待审核的报送")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--db", type=Path, default=None)
    p = sub.add_parser("approve", help="审核通过一份报送：数据从此计入")
    p.add_argument("id", type=int, metavar="ID", help="报送编号（见 python -m ingest pending）")
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--by", help="审核人（默认当前系统用户）")
    for name, what in (("return", "退回一份报送（须说明原因）"), ("reopen", "重新打开已审核通过的报送（须说明原因）")):
        p = sub.add_parser(name, help=what)
        p.add_argument("id", type=int, metavar="ID", help="报送编号")
        p.add_argument("--reason", required=True, help="原因（部门会看到）")
        p.add_argument("--db", type=Path, default=None)
        p.add_argument("--by", help="审核人（默认当前系统用户）")


def list_pending(args, db: Path) -> int:
    con = connect(db)
    try:
        frame = pending(con)
    finally:
        con.close()
    rows = [{"id": int(r.id), "file": r.file_name, "department": r.department or r.department_code,
             "periods": r.periods, "received": r.received_at.isoformat(sep=" ", timespec="seconds"),
             "received_by": r.received_by, "rows": int(r.n_rows), "reopened": bool(r.reopened)}
            for r in frame.itertuples()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("没有待审核的报送。")
        return 0
    print("编号\t文件\t部门\t统计期\t接收时间")
    for r in rows:
        print(printable(f"{r['id']}\t{r['file']}\t{r['department'] or '?'}\t{r['periods']}\t{r['received']}"
                        + ("\t（重新打开）" if r["reopened"] else "")))
    print(f"共 {len(rows)} 份待审核。审核通过：python -m ingest approve 编号；退回：python -m ingest return 编号 --reason 原因")
    return 0


def decide(args, db: Path, actor: Actor) -> int:
    con = connect(db)
    try:
        if args.command == "approve":
            approve(con, args.id, actor)
        elif args.command == "return":
            return_submission(con, args.id, args.reason, actor)
        else:
            reopen(con, args.id, args.reason, actor)
        name = con.execute("SELECT file_name FROM submission WHERE id = ?", [args.id]).fetchall()[0][0]
    except (ApprovalRefused, NotAllowed) as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(printable(f"第 {args.id} 号报送（{name}）{DONE[args.command]}。"))
    return 0
