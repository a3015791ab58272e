"""The quarterly review's deck: the slides of ``layouts.review_slides`` written as
PowerPoint (python-pptx) and PDF (reportlab), one page per slide, on one 16:9
grid, with the slides' own words and numbers.  Pure functions: the pictures of
the maps and charts come in as PNG bytes (``callbacks.deck_job`` draws them)."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from layouts.review_slides import Slide

# the grid, in inches of a 13.333 x 7.5 (16:9) page
WIDTH, HEIGHT = 13.333, 7.5
MARGIN = 0.45
TITLE = (MARGIN, 0.3, WIDTH - 2 * MARGIN, 0.75)
SUBTITLE = (MARGIN, 1.05, WIDTH - 2 * MARGIN, 0.45)
BODY_TOP, BODY_BOTTOM = 1.6, 6.85
TEXT_WIDTH = 4.6  # the text column beside a picture
FOOTER = (MARGIN, 7.0, WIDTH - 2 * MARGIN, 0.35)
SPLIT_ROWS = 10  # a longer table is two halves side by side, as on the screen
PICTURE_PIXELS = (1100, 720)  # the size maps and charts are drawn at
BLUE, GREY, DARK = (0x0B, 0x3D, 0x91), (0x6C, 0x75, 0x7D), (0x21, 0x25, 0x29)
HEAD_FILL = (0xDD, 0xE8, 0xF7)
FONTS = (  # a font with Vietnamese letters for the PDF (Debian's DejaVu)
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)


def _halves(rows: list[list[str]]) -> list[list[list[str]]]:
    if len(rows) <= SPLIT_ROWS:
        return [rows]
    half = (len(rows) + 1) // 2
    return [rows[:half], rows[half:]]


def big_size(text: str, size: int) -> int:
    """The key figure's font size: smaller when it is long ("4,1 tỷ đồng")."""
    return size if len(text) <= 8 else round(size * 0.72)


def column_widths(head: list[str], rows: list[list[str]], width: float) -> list[float]:
    """Widths in inches that follow each column's longest text (a rank column
    narrow, an indicator wide)."""
    longest = [
        min(max(len(str(row[c])) for row in [head, *rows]), 40) + 2
        for c in range(len(head))
    ]
    return [width * n / sum(longest) for n in longest]


def _body_box(has_picture: bool) -> tuple[float, float, float, float]:
    width = TEXT_WIDTH if has_picture else WIDTH - 2 * MARGIN
    return (MARGIN, BODY_TOP, width, BODY_BOTTOM - BODY_TOP)


def _picture_box() -> tuple[float, float, float, float]:
    left = MARGIN + TEXT_WIDTH + 0.3
    return (left, BODY_TOP, WIDTH - MARGIN - left, BODY_BOTTOM - BODY_TOP)


# --- PowerPoint -----------------------------------------------------------------


def pptx_bytes(
    slides: Sequence[Slide],
    pictures: Mapping[int, bytes],
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The deck as a .pptx: slide ``i`` shows ``pictures[i]`` when given."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(WIDTH), Inches(HEIGHT)
    blank = deck.slide_layouts[6]

    def box(page, where, text, size, colour=DARK, bold=False):
        shape = page.shapes.add_textbox(*(Inches(v) for v in where))
        frame = shape.text_frame
        frame.word_wrap = True
        paragraphs = text if isinstance(text, list) else [text]
        for n, line in enumerate(paragraphs):
            para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            para.text = line
            para.font.size, para.font.bold = Pt(size), bold
            para.font.color.rgb = RGBColor(*colour)
            para.space_after = Pt(size * 0.35)
        return shape

    def table(page, where, head, rows, size):
        left, top, width, _height = where
        shape = page.shapes.add_table(
            len(rows) + 1,
            len(head),
            Inches(left),
            Inches(top),
            Inches(width),
            Inches(0.3 * (len(rows) + 1)),
        )
        grid = shape.table
        for col, text in enumerate(head):
            cell = grid.cell(0, col)
            cell.text = text
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor(*HEAD_FILL)
        for r, row in enumerate(rows, start=1):
            for col, text in enumerate(row):
                grid.cell(r, col).text = text
        for r in range(len(rows) + 1):
            for col in range(len(head)):
                for para in grid.cell(r, col).text_frame.paragraphs:
                    para.font.size = Pt(size)
                    para.font.bold = r == 0
                    para.font.color.rgb = RGBColor(*DARK)
        for col, inches in enumerate(column_widths(head, rows, width)):
            grid.columns[col].width = Inches(inches)

    for i, slide in enumerate(slides):
        page = deck.slides.add_slide(blank)
        title_size = 40 if slide.key == "title" else 28
        title_at = (MARGIN, 2.2, *TITLE[2:]) if slide.key == "title" else TITLE
        box(page, title_at, slide.title, title_size, BLUE, bold=True)
        if slide.subtitle:
            sub_at = (MARGIN, 3.1, *SUBTITLE[2:]) if slide.key == "title" else SUBTITLE
            box(page, sub_at, slide.subtitle, 24 if slide.key == "title" else 16, GREY)
        picture = pictures.get(i)
        left, top, width, height = _body_box(picture is not None)
        if slide.key == "title":
            top = 3.8
        if slide.big:
            box(
                page,
                (left, top, width, 1.1),
                slide.big,
                big_size(slide.big, 54),
                BLUE,
                bold=True,
            )
            box(page, (left, top + 1.15, width, 0.9), slide.big_label, 16)
            top += 2.1
        if slide.lines:
            size = 18 if len(slide.lines) <= 6 else 15
            box(page, (left, top, width, 2.5), [f"• {x}" for x in slide.lines], size)
            top += 0.5 * len(slide.lines) + 0.3
        if slide.table:
            head, rows = slide.table
            parts = _halves(rows)
            each = (width - 0.3 * (len(parts) - 1)) / len(parts)
            size = 12 if len(parts) == 1 and len(rows) <= 8 else 10
            for n, part in enumerate(parts):
                table(
                    page, (left + n * (each + 0.3), top, each, height), head, part, size
                )
        if picture is not None:
            where = _picture_box()
            page.shapes.add_picture(
                io.BytesIO(picture),
                Inches(where[0]),
                Inches(where[1]),
                width=Inches(where[2]),
            )
        box(page, FOOTER, f"{slide.footer}    {i + 1}/{len(slides)}", 10, GREY)
        if progress:
            progress(i + 1)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------


def _fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = FONTS
    if not (regular.is_file() and bold.is_file()):
        raise FileNotFoundError(
            f"the PDF needs the DejaVu fonts ({regular.parent}): "
            "apt-get install fonts-dejavu-core"
        )
    if "DeckSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DeckSans", str(regular)))
        pdfmetrics.registerFont(TTFont("DeckSans-Bold", str(bold)))
    return "DeckSans", "DeckSans-Bold"


def pdf_bytes(
    slides: Sequence[Slide],
    pictures: Mapping[int, bytes],
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The deck as a PDF, one page per slide, the same grid as the .pptx."""
    from reportlab.lib import colors
    from reportlab.lib.utils import ImageReader, simpleSplit
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Table, TableStyle

    regular, bold = _fonts()
    inch = 72.0
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(WIDTH * inch, HEIGHT * inch))
    page.setTitle(slides[0].title if slides else "")

    def rgb(colour: tuple[int, int, int]):
        return colors.Color(*(c / 255 for c in colour))

    def text(where, lines, size, colour=DARK, font=None, bullet=False) -> float:
        """Wrapped lines from the top of ``where``; the height used, in inches."""
        left, top, width, _height = where
        y = (HEIGHT - top) * inch - size
        page.setFillColor(rgb(colour))
        face = font or regular
        for line in lines if isinstance(lines, list) else [lines]:
            shown = simpleSplit(
                ("• " if bullet else "") + line, face, size, width * inch
            )
            for part in shown:
                page.setFont(face, size)
                page.drawString(left * inch, y, part)
                y -= size * 1.3
            y -= size * 0.35 if bullet else 0
        return ((HEIGHT - top) * inch - size - y) / inch

    def table(where, head, rows, size):
        left, top, width, _height = where
        widths = column_widths(head, rows, width)
        wrap = [
            [
                simpleSplit(str(c), regular, size, w * inch - 6)
                for c, w in zip(row, widths, strict=True)
            ]
            for row in [head, *rows]
        ]
        cells = [["\n".join(parts) for parts in row] for row in wrap]
        grid = Table(cells, colWidths=[w * inch for w in widths])
        grid.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), regular, size, size * 1.2),
                    ("FONT", (0, 0), (-1, 0), bold, size, size * 1.2),
                    ("BACKGROUND", (0, 0), (-1, 0), rgb(HEAD_FILL)),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.lightgrey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        _w, h = grid.wrapOn(page, width * inch, HEIGHT * inch)
        grid.drawOn(page, left * inch, (HEIGHT - top) * inch - h)

    for i, slide in enumerate(slides):
        is_title = slide.key == "title"
        title_at = (MARGIN, 2.2, *TITLE[2:]) if is_title else TITLE
        text(title_at, slide.title, 40 if is_title else 26, BLUE, bold)
        if slide.subtitle:
            sub_at = (MARGIN, 3.1, *SUBTITLE[2:]) if is_title else SUBTITLE
            text(sub_at, slide.subtitle, 24 if is_title else 15, GREY)
        picture = pictures.get(i)
        left, top, width, height = _body_box(picture is not None)
        if is_title:
            top = 3.8
        if slide.big:
            big = text(
                (left, top, width, 1.0), slide.big, big_size(slide.big, 50), BLUE, bold
            )
            used = text((left, top + big + 0.1, width, 0.9), slide.big_label, 15)
            top += big + used + 0.3
        if slide.lines:
            size = 17 if len(slide.lines) <= 6 else 14
            top += text((left, top, width, 2.5), slide.lines, size, bullet=True) + 0.2
        if slide.table:
            head, rows = slide.table
            parts = _halves(rows)
            each = (width - 0.3 * (len(parts) - 1)) / len(parts)
            size = 11 if len(parts) == 1 and len(rows) <= 8 else 9
            for n, part in enumerate(parts):
                table((left + n * (each + 0.3), top, each, height), head, part, size)
        if picture is not None:
            pl, pt, pw, ph = _picture_box()
            image = ImageReader(io.BytesIO(picture))
            iw, ih = image.getSize()
            scale = min(pw / iw, ph / ih)
            page.drawImage(
                image,
                pl * inch,
                (HEIGHT - pt - ih * scale) * inch,
                width=iw * scale * inch,
                height=ih * scale * inch,
            )
        page.setStrokeColor(colors.lightgrey)
        page.line(
            MARGIN * inch,
            (HEIGHT - FOOTER[1] + 0.05) * inch,
            (WIDTH - MARGIN) * inch,
            (HEIGHT - FOOTER[1] + 0.05) * inch,
        )
        text(FOOTER, f"{slide.footer}    {i + 1}/{len(slides)}", 9, GREY)
        page.showPage()
        if progress:
            progress(i + 1)
    page.save()
    return out.getvalue()
