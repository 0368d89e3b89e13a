"""The briefing as a Word document laid out like an official 工作简报 (after GB/T 9704).

Head: 简报 title in 黑体, 第N期, the issuing office and the date over a rule, the meeting and the data
cut-off. Body in 仿宋, headings in 黑体, set for East Asian text on the styles (w:eastAsia) so Word,
WPS and LibreOffice use them; tables in a smaller size. Everything is black (grey for second lines) so
it prints in black and white; meaning is carried by words, never by colour alone.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from metrics.meeting import MeetingPack

from . import formatting as F
from . import words as W
from .sections import Table, cover, file_stem, sections, shown

BODY_FONTS = ("Times New Roman", "FangSong")     # Latin, East Asian (仿宋)
HEAD_FONTS = ("Arial", "SimHei")                 # 黑体 for the title and headings
BODY_PT, TABLE_PT, NOTE_PT = 14, 10.5, 9         # 四号 body, 五号 tables
PAGE = {"top_margin": 3.7, "bottom_margin": 3.5, "left_margin": 2.8, "right_margin": 2.6}   # cm, GB/T 9704
RED, GREY, BLACK = "C00000", "595959", "000000"
HEADER_FILL = "E7E6E6"                           # a light grey that prints


def set_fonts(rpr, latin: str, east_asian: str) -> None:
    """Explicit fonts (no theme fonts, which Word resolves to a Latin face) and Chinese as the East Asian language."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian), ("w:cs", latin)):
        fonts.set(qn(attr), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None and defaults.find(qn("w:rPrDefault")) is not None:
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        if rpr is not None:
            set_fonts(rpr, *BODY_FONTS)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    set_fonts(normal.element.get_or_add_rPr(), *BODY_FONTS)
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", BODY_PT)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.bold = name != "Heading 1"    # 黑体 is heavy already; GB headings are not bolded
        style.font.italic = False
        style.font.color.rgb = RGBColor.from_string(BLACK)
        style.paragraph_format.space_before = Pt(10 if name == "Heading 1" else 6)
        style.paragraph_format.space_after = Pt(4)
        set_fonts(style.element.get_or_add_rPr(), *HEAD_FONTS)
    title = doc.styles["Title"].element.pPr
    border = title.find(qn("w:pBdr")) if title is not None else None
    if border is not None:   # the template underlines its Title in blue; the rule goes under the head instead
        title.remove(border)


def _rule(paragraph, colour: str = BLACK, size: int = 12) -> None:
    """A line under the paragraph (版头分隔线)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, val in (("val", "single"), ("sz", str(size)), ("space", "4"), ("color", colour)):
        bottom.set(qn(f"w:{key}"), val)
    borders.append(bottom)
    p_pr.append(borders)


def _page_number(paragraph) -> None:
    """"— 1 —" centred in the footer."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")   # appended after the field: python-docx adds runs at the end of the paragraph


def _head(doc, pack: MeetingPack, width_cm: float) -> None:
    c = cover(pack)
    title = doc.add_paragraph(c.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    issue = doc.add_paragraph(c.issue)
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = doc.add_paragraph(f"{c.office}\t{c.date}")
    line.paragraph_format.tab_stops.add_tab_stop(Cm(width_cm), WD_TAB_ALIGNMENT.RIGHT)
    _rule(line, BLACK, 18)
    meeting = doc.add_paragraph()
    run = meeting.add_run(c.meeting)
    run.font.size = Pt(12)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _row_props(row, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:  # repeated at the top of every page
        head = OxmlElement("w:tblHeader")
        head.set(qn("w:val"), "true")
        tr_pr.append(head)


def _fill(cell, lines: list[str], bold: bool = False, alert: bool = False) -> None:
    """A cell's lines: the first in the table size, the others smaller and grey; an alert cell in bold."""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.font.size = Pt(TABLE_PT if i == 0 else NOTE_PT)
        run.bold = bold or alert or None
        if i and not alert:
            run.font.color.rgb = RGBColor.from_string(GREY)
        if i < len(lines) - 1:
            run.add_break()


def _table(doc, t: Table, width_cm: float) -> None:
    if not t.rows:
        doc.add_paragraph(t.empty)
        return
    table = doc.add_table(rows=1, cols=len(t.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")   # a little air around each cell's text
    for side, twips in (("top", 30), ("left", 80), ("bottom", 30), ("right", 80)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(twips))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    look = table._tbl.tblPr.find(qn("w:tblLook"))   # schema order: … tblLayout, tblCellMar, tblLook
    look.addprevious(margins) if look is not None else table._tbl.tblPr.append(margins)
    total = sum(t.widths)
    widths = [Cm(width_cm * w / total) for w in t.widths]
    for column, width in zip(table.columns, widths):  # the grid: what fixed layout and LibreOffice/WPS follow
        column.width = width
    header = table.rows[0]
    _row_props(header, header=True)
    for cell, name, width in zip(header.cells, t.columns, widths):
        cell.width = width
        _fill(cell, [name], bold=True)
        _shade(cell, HEADER_FILL)
    for i, lines in enumerate(t.rows):
        row = table.add_row()
        _row_props(row, header=False)
        alert = bool(t.alert and t.alert[i])
        for j, (cell, width) in enumerate(zip(row.cells, widths)):
            cell.width = width
            _fill(cell, lines[j], alert=alert and j == len(lines) - 1)


def to_docx(pack: MeetingPack) -> bytes:
    """The 工作简报: demo mark, head, the first page's sections, the rest, the annex on a new page."""
    doc = Document()
    _styles(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    for side, cm in PAGE.items():
        setattr(sec, side, Cm(cm))
    width = 21 - PAGE["left_margin"] - PAGE["right_margin"]
    doc.core_properties.title = f"{W.TITLE} {cover(pack).issue} {file_stem(pack)}"
    doc.core_properties.author = W.APP_NAME
    if pack.demo:
        for paragraph, size in ((doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph(), 12),
                                (sec.header.paragraphs[0], 9)):   # on top, and on every printed page
            run = paragraph.add_run(W.DEMO_MARK)
            run.bold = True
            run.font.size = Pt(size)
            run.font.color.rgb = RGBColor.from_string(RED)
    _page_number(sec.footer.paragraphs[0])
    _head(doc, pack, width)
    for s in sections(pack):
        if s.annex:
            doc.add_section(WD_SECTION.NEW_PAGE)
        doc.add_heading(s.title, level=1)
        if s.intro:
            doc.add_paragraph(s.intro)
        for t in shown(s):
            if len(s.tables) > 1:
                doc.add_heading(t.title, level=2)
            _table(doc, t, width)
    note = doc.add_paragraph()
    run = note.add_run(W.FOOTER.format(app=W.APP_NAME, as_of=F.moment(pack.meeting["as_of"])))
    run.font.size = Pt(NOTE_PT)
    run.font.color.rgb = RGBColor.from_string(GREY)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
