"""Evidence for a task (佐证材料): a file a department attaches (PDF, image or Word document) or a document
number (文号) typed instead. Checked at the door like a submission — size, and kind by the file's first bytes,
not its name — and never opened, run or rendered; kept in the archive by SHA-256; one row per piece."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import duckdb

from warehouse import journal
from warehouse.config import settings
from warehouse.db import bump_data_version, first_row, warehouse_archive

from .pipeline import keep_in_archive, whoami

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


def _task_exists(con: duckdb.DuckDBPyConnection, task_code: str) -> None:
    if not first_row(con, "SELECT count(*) FROM task WHERE code = ?", [task_code])[0]:
        raise EvidenceRefused(f"任务「{task_code[:40]}」不在指标体系的任务清单中。请核对任务编码（如 T-01）。")


def attach_file(con: duckdb.DuckDBPyConnection, task_code: str, data: bytes, file_name: str,
                by: str | None = None, at: dt.datetime | None = None) -> str:
    """Keep a file as evidence for a task; returns its SHA-256. Refused (EvidenceRefused, nothing kept)
    when the task is unknown, the file is empty or too large, or it is not a PDF, image or Word document."""
    _task_exists(con, task_code)
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
    at, by = at or dt.datetime.now(), by or whoami()
    sha = hashlib.sha256(data).hexdigest()
    archive = warehouse_archive(con)
    if archive is not None:
        keep_in_archive(archive, sha, data, name, at, by)
    con.execute("INSERT INTO task_evidence VALUES (?, 'file', ?, ?, ?, ?, NULL, ?, ?)",
                [task_code, sha, name, kind, len(data), at, by])
    bump_data_version(con)
    journal.write(con, "evidence_file", task_code=task_code, sha256=sha, file_name=name, by=by, at=at)
    return sha


def attach_doc_number(con: duckdb.DuckDBPyConnection, task_code: str, doc_number: str, by: str | None = None,
                      at: dt.datetime | None = None) -> None:
    """Record a document number (文号, e.g. 德妇字〔2024〕35号) as evidence for a task."""
    _task_exists(con, task_code)
    text = " ".join(str(doc_number).split())
    if not text:
        raise EvidenceRefused("文号是空的。请填写发文字号，如 德妇字〔2024〕35号。")
    if len(text) > MAX_DOC_NUMBER:
        raise EvidenceRefused(f"文号超过 {MAX_DOC_NUMBER} 个字。请只填写发文字号，说明写在备注里。")
    at, by = at or dt.datetime.now(), by or whoami()
    con.execute("INSERT INTO task_evidence VALUES (?, 'docno', NULL, NULL, NULL, NULL, ?, ?, ?)",
                [task_code, text, at, by])
    bump_data_version(con)
    journal.write(con, "evidence_docno", task_code=task_code, doc_number=text, by=by, at=at)


@journal.replays("evidence_file")
def _replay_file(con, archive: Path, task_code, sha256, file_name, by, at) -> None:
    data = next(archive.glob(f"{sha256[:2]}/{sha256}*")).read_bytes()
    attach_file(con, task_code, data, file_name, by, journal.moment(at))


@journal.replays("evidence_docno")
def _replay_docno(con, archive: Path, task_code, doc_number, by, at) -> None:
    attach_doc_number(con, task_code, doc_number, by, journal.moment(at))
