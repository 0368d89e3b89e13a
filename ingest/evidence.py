"""Evidence for a task (佐证材料): a file a department attaches (PDF, image or Word document) or a document
number (文号) typed instead. Checked at the door like a submission — size, and kind by the file's first bytes,
not its name — and never opened, run or rendered; kept in the archive by SHA-256; one row per piece, with its
audit row. A 填报员 attaches evidence only to tasks its department leads or works on."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import duckdb

from warehouse import journal
from warehouse.access import TASK_EVIDENCE, Actor, department_names, personal_actor, require
from warehouse.audit import record
from warehouse.config import settings
from warehouse.db import bump_data_version, first_row, transaction, warehouse_archive

from .pipeline import keep_in_archive

MAX_DOC_NUMBER = 60
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"          # the legacy Office container (.doc)
_SIGNATURES = ((b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (_OLE, "doc"))


class EvidenceRefused(ValueError):
    """The piece of evidence was not kept; the message says why and what to do, in Chinese."""


def file_type(data: bytes) -> str | None:
    """pdf, png, jpg, doc or docx from the content; None for anything else (a renamed .exe, a web page…)."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return "docx" if "word/document.xml" in z.namelist() else None
        except zipfile.BadZipFile:
            return None
    return None


def task_departments(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...]]:
    """Task code → the departments whose 填报员 may attach its evidence: its lead department, then the ones that
    work on it (codes)."""
    return {code: (lead, *co) for code, lead, co in
            con.execute("SELECT code, lead_department, co_departments FROM task").fetchall()}


def _may_attach(con: duckdb.DuckDBPyConnection, actor: Actor, task_code: str) -> None:
    """NotAllowed unless the actor may attach evidence to this task (a 填报员: one its department leads or works
    on); EvidenceRefused when there is no such task."""
    require(actor, TASK_EVIDENCE)
    task = first_row(con, "SELECT lead_department, co_departments FROM task WHERE code = ?", [task_code])
    if task is None:
        raise EvidenceRefused(f"任务「{task_code[:40]}」不在指标体系的任务清单中。请核对任务编码（如 T-01）。")
    require(actor, TASK_EVIDENCE, (task[0], *task[1]), department_names(con))


def attach_file(con: duckdb.DuckDBPyConnection, task_code: str, data: bytes, file_name: str,
                by: str | None = None, at: dt.datetime | None = None, *, actor: Actor | None = None) -> str:
    """Keep a file as evidence for a task; returns its SHA-256. Refused (EvidenceRefused, nothing kept)
    when the task is unknown, the file is empty or too large, or it is not a PDF, image or Word document;
    NotAllowed when the actor (personal mode: a 管理员 named `by`) may not add evidence to this task."""
    actor = actor or personal_actor(by)
    _may_attach(con, actor, task_code)
    name = Path(file_name).name[:120] or "佐证材料"
    limit = settings().max_file_bytes
    if not data:
        raise EvidenceRefused(f"文件「{name}」是空的。请重新选择佐证材料。")
    if len(data) > limit:
        raise EvidenceRefused(f"文件「{name}」有 {len(data) / 2**20:.1f} MB，超过上限 {limit // 2**20} MB。"
                              "请压缩图片或只上传盖章页，或改填文号。")
    kind = file_type(data)
    if kind is None:
        raise EvidenceRefused(f"文件「{name}」不是 PDF、图片（PNG、JPG）或 Word 文档，未保存。"
                              "请另存为 PDF 后上传，或改填文号。")
    at, by = at or dt.datetime.now(), by or actor.name
    sha = hashlib.sha256(data).hexdigest()
    archive = warehouse_archive(con)
    if archive is not None:
        keep_in_archive(archive, sha, data, name, at, by)
    with transaction(con):
        con.execute("INSERT INTO task_evidence VALUES (?, 'file', ?, ?, ?, ?, NULL, ?, ?)",
                    [task_code, sha, name, kind, len(data), at, by])
        bump_data_version(con)
        record(con, actor, TASK_EVIDENCE, "task", task_code, f"佐证文件 {name}（{kind}，SHA-256 {sha[:12]}…）", at)
    journal.write(con, "evidence_file", task_code=task_code, sha256=sha, file_name=name, by=by, at=at, actor=actor)
    return sha


def attach_doc_number(con: duckdb.DuckDBPyConnection, task_code: str, doc_number: str, by: str | None = None,
                      at: dt.datetime | None = None, *, actor: Actor | None = None) -> None:
    """Record a document number (文号, e.g. 德妇字〔2024〕35号) as evidence for a task."""
    actor = actor or personal_actor(by)
    _may_attach(con, actor, task_code)
    text = " ".join(str(doc_number).split())
    if not text:
        raise EvidenceRefused("文号是空的。请填写发文字号，如 德妇字〔2024〕35号。")
    if len(text) > MAX_DOC_NUMBER:
        raise EvidenceRefused(f"文号超过 {MAX_DOC_NUMBER} 个字。请只填写发文字号，说明写在备注里。")
    at, by = at or dt.datetime.now(), by or actor.name
    with transaction(con):
        con.execute("INSERT INTO task_evidence VALUES (?, 'docno', NULL, NULL, NULL, NULL, ?, ?, ?)",
                    [task_code, text, at, by])
        bump_data_version(con)
        record(con, actor, TASK_EVIDENCE, "task", task_code, f"文号 {text}", at)
    journal.write(con, "evidence_docno", task_code=task_code, doc_number=text, by=by, at=at, actor=actor)


@journal.replays("evidence_file")
def _replay_file(con, archive: Path, task_code, sha256, file_name, by, at, actor=None) -> None:
    data = next(archive.glob(f"{sha256[:2]}/{sha256}*")).read_bytes()
    attach_file(con, task_code, data, file_name, by, journal.moment(at), actor=Actor.from_dict(actor))


@journal.replays("evidence_docno")
def _replay_docno(con, archive: Path, task_code, doc_number, by, at, actor=None) -> None:
    attach_doc_number(con, task_code, doc_number, by, journal.moment(at), actor=Actor.from_dict(actor))
