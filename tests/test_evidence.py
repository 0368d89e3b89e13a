"""Evidence for tasks (佐证材料): files checked at the door by content, kept by SHA-256, or a 文号; a task
reported 已完成 without any evidence reads 待佐证."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from warehouse.db import connect
from ingest.evidence import EvidenceRefused, attach_doc_number, attach_file, file_type
from metrics.tasks import AWAITING_EVIDENCE, COMPLETED, task_status

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def xlsx_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.fixture
def con(demo_con):
    return demo_con


def test_the_kind_comes_from_the_content_not_the_name():
    assert [file_type(b) for b in (PDF, PNG, b"\xff\xd8\xff\xe0", docx(), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")] == [
        "pdf", "png", "jpg", "docx", "doc"]
    assert file_type(b"MZ\x90\x00") is None               # a program renamed .pdf
    assert file_type(b"<html><script>") is None            # a web page
    assert file_type(xlsx_zip()) is None                   # a zip that is not a Word document
    assert file_type(b"PK\x03\x04broken") is None


def test_a_file_is_kept_by_its_hash_and_proves_the_task(con, tmp_path):
    # the demo's T-02 was reported 已完成 with a photo named in the update: add T-11 completed with nothing
    con.execute("UPDATE task_update SET state = '已完成', evidence = NULL WHERE task_code = 'T-11'")
    before = task_status(con).set_index("code")
    assert before.loc["T-11", "state"] == AWAITING_EVIDENCE
    assert before.loc["T-01", "state"] == COMPLETED          # 德卫发〔2025〕21号 in its update
    sha = attach_file(con, "T-11", PDF, "会议纪要.pdf", by="王敏", at=dt.datetime(2026, 11, 20, 10))
    assert list((tmp_path / "archive" / sha[:2]).glob(f"{sha}*"))
    after = task_status(con).set_index("code")
    assert after.loc["T-11", "state"] == COMPLETED and after.loc["T-11", "evidence"] == "会议纪要.pdf"
    # as of before it was attached, the task still awaited its evidence
    earlier = task_status(con, dt.datetime(2026, 11, 19)).set_index("code")
    assert earlier.loc["T-11", "state"] == AWAITING_EVIDENCE


def test_a_document_number_proves_the_task(con):
    con.execute("UPDATE task_update SET state = '已完成', evidence = '  ' WHERE task_code = 'T-03'")
    assert task_status(con).set_index("code").loc["T-03", "state"] == AWAITING_EVIDENCE
    attach_doc_number(con, "T-03", " 德妇字〔2026〕12号 ")
    row = task_status(con).set_index("code").loc["T-03"]
    assert row["state"] == COMPLETED and row["evidence"] == "德妇字〔2026〕12号"


@pytest.mark.parametrize("task, data, name, words", [
    ("T-99", PDF, "a.pdf", "不在指标体系的任务清单中"),
    ("T-01", b"", "空.pdf", "是空的"),
    ("T-01", b"MZ\x90\x00" + b"\0" * 100, "通知.pdf", "不是 PDF、图片"),
    ("T-01", b"<img src=x onerror=alert(1)>", "<b>页面</b>.pdf", "不是 PDF、图片"),
])
def test_refused_evidence_says_why_and_keeps_nothing(con, tmp_path, task, data, name, words):
    with pytest.raises(EvidenceRefused, match=words):
        attach_file(con, task, data, name)
    assert con.execute("SELECT count(*) FROM task_evidence").fetchall()[0][0] == 0
    assert not list((tmp_path / "archive").rglob("*"))        # no bytes kept, no receipt written


def test_a_file_over_the_limit_is_refused(con, monkeypatch):
    from warehouse import config
    limit = config.settings().max_file_bytes
    with pytest.raises(EvidenceRefused, match="超过上限"):
        attach_file(con, "T-01", PDF + b"\0" * limit, "扫描件.pdf")


def test_a_document_number_is_bounded(con):
    with pytest.raises(EvidenceRefused, match="文号是空的"):
        attach_doc_number(con, "T-01", "   ")
    with pytest.raises(EvidenceRefused, match="超过 60 个字"):
        attach_doc_number(con, "T-01", "德" * 61)


def test_the_command_line_and_a_rebuild_keep_the_evidence(demo_db, tmp_path):
    """`python -m ingest evidence` attaches a file or a 文号 (exit 0), refuses a program (exit 1, nothing
    kept); the journal replays both into a rebuilt warehouse, identical row for row."""
    import subprocess
    import sys

    from conftest import ROOT
    from ingest.demo import build_demo
    db = tmp_path / "w" / "warehouse.duckdb"
    db.parent.mkdir()
    build_demo(db)          # with its archive and journal, which a rebuild replays
    pdf, exe = tmp_path / "纪要.pdf", tmp_path / "通知.pdf"
    pdf.write_bytes(PDF)
    exe.write_bytes(b"MZ\x90\x00")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "ingest", "evidence", *args, "--db", str(db)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
    assert run("--task", "T-05", str(pdf)).returncode == 0
    refused = run("--task", "T-05", str(exe))
    assert refused.returncode == 1 and "不是 PDF、图片" in refused.stdout
    assert run("--task", "T-05", "--docno", "德妇字〔2026〕1号").returncode == 0
    new = tmp_path / "new" / "warehouse.duckdb"
    rebuilt = subprocess.run([sys.executable, "-m", "ingest", "rebuild", "--from", str(db.parent / "archive"),
                              "--db", str(new)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rebuilt.returncode == 0, rebuilt.stderr
    query = "SELECT task_code, kind, sha256, file_name, file_type, size_bytes, doc_number FROM task_evidence ORDER BY ALL"
    a, b = connect(db, read_only=True), connect(new, read_only=True)
    rows = a.execute(query).fetchall()
    assert len(rows) == 2 and rows == b.execute(query).fetchall()
    a.close()
    b.close()
