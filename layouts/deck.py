"""The quarterly review's deck: the slides of ``layouts.review_slides`` written as
PowerPoint (python-pptx) and PDF (reportlab), one page per slide, on one 16:9
grid, with the slides' own words and numbers.  Pure functions: the pictures of
the maps and charts come in as PNG bytes (``dashboard.deck`` draws them)."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from layouts.map_print import FONTS
from layouts.review_slides import Slide

Box = tuple[float, float, float, float]  # left, top, width, height in inches

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
INCH = 72.0  # PDF points to the inch


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


def _body_box(has_picture: bool) -> Box:
    width = TEXT_WIDTH if has_picture else WIDTH - 2 * MARGIN
    return (MARGIN, BODY_TOP, width, BODY_BOTTOM - BODY_TOP)


def picture_inches() -> float:
    """The width of a slide's picture (its map or chart), in inches."""
    return _picture_box()[2]


def _picture_box() -> Box:
    left = MARGIN + TEXT_WIDTH + 0.3
    return (left, BODY_TOP, WIDTH - MARGIN - left, BODY_BOTTOM - BODY_TOP)


def _heading_boxes(slide: Slide) -> tuple[Box, Box]:
    """Where the title and the subtitle go: lower down on the title slide."""
    if slide.key == "title":
        return (MARGIN, 2.2, *TITLE[2:]), (MARGIN, 3.1, *SUBTITLE[2:])
    return TITLE, SUBTITLE


def _body(slide: Slide, has_picture: bool) -> Box:
    """The box the key figure, the lines and the table fill, from the top."""
    left, top, width, height = _body_box(has_picture)
    return (left, 3.8 if slide.key == "title" else top, width, height)


def _table_places(
    where: Box, rows: list[list[str]]
) -> list[tuple[Box, list[list[str]]]]:
    """The table's halves side by side in ``where`` (one part when it is short)."""
    left, top, width, height = where
    parts = _halves(rows)
    each = (width - 0.3 * (len(parts) - 1)) / len(parts)
    return [
        ((left + n * (each + 0.3), top, each, height), part)
        for n, part in enumerate(parts)
    ]


def _table_size(rows: list[list[str]], short: int, long: int) -> int:
    """The table's font size: larger for a short table in one part."""
    return short if len(_halves(rows)) == 1 and len(rows) <= 8 else long


def _footer_text(slide: Slide, index: int, count: int) -> str:
    return f"{slide.footer}    {index + 1}/{count}"


# --- PowerPoint -----------------------------------------------------------------


def pptx_bytes(
    slides: Sequence[Slide],
    pictures: Mapping[int, bytes],
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The deck as a .pptx: slide ``i`` shows ``pictures[i]`` when given."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(WIDTH), Inches(HEIGHT)
    blank = deck.slide_layouts[6]
    for i, slide in enumerate(slides):
        page = deck.slides.add_slide(blank)
        _pptx_slide(page, slide, pictures.get(i))
        _pptx_text(page, FOOTER, _footer_text(slide, i, len(slides)), 10, GREY)
        if progress:
            progress(i + 1)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _pptx_slide(page: Any, slide: Slide, picture: bytes | None) -> None:
    """A slide's headings, key figure, lines, table and picture, top down."""
    is_title = slide.key == "title"
    title_at, sub_at = _heading_boxes(slide)
    _pptx_text(page, title_at, slide.title, 40 if is_title else 28, BLUE, bold=True)
    if slide.subtitle:
        _pptx_text(page, sub_at, slide.subtitle, 24 if is_title else 16, GREY)
    left, top, width, height = _body(slide, picture is not None)
    if slide.big:
        big_at = (left, top, width, 1.1)
        _pptx_text(page, big_at, slide.big, big_size(slide.big, 54), BLUE, bold=True)
        _pptx_text(page, (left, top + 1.15, width, 0.9), slide.big_label, 16)
        top += 2.1
    if slide.lines:
        size = 18 if len(slide.lines) <= 6 else 15
        bullets = [f"• {x}" for x in slide.lines]
        _pptx_text(page, (left, top, width, 2.5), bullets, size)
        top += 0.5 * len(slide.lines) + 0.3
    if slide.table:
        head, rows = slide.table
        size = _table_size(rows, 12, 10)
        for where, part in _table_places((left, top, width, height), rows):
            _pptx_table(page, where, head, part, size)
    if picture is not None:
        _pptx_picture(page, picture)


def _pptx_text(
    page: Any,
    where: Box,
    text: str | list[str],
    size: int,
    colour: tuple[int, int, int] = DARK,
    bold: bool = False,
) -> Any:
    """A text box of one paragraph per line."""
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

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


def _pptx_table(
    page: Any, where: Box, head: list[str], rows: list[list[str]], size: int
) -> None:
    """A table with a shaded bold header row, its columns as wide as their text."""
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

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


def _pptx_picture(page: Any, picture: bytes) -> None:
    """The slide's map or chart, as wide as the picture column."""
    from pptx.util import Inches

    left, top, width, _height = _picture_box()
    page.shapes.add_picture(
        io.BytesIO(picture), Inches(left), Inches(top), width=Inches(width)
    )


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
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(WIDTH * INCH, HEIGHT * INCH))
    page.setTitle(slides[0].title if slides else "")
    pdf = _PdfPage(page, *_fonts())
    for i, slide in enumerate(slides):
        pdf.slide(slide, pictures.get(i))
        pdf.footer(_footer_text(slide, i, len(slides)))
        page.showPage()
        if progress:
            progress(i + 1)
    page.save()
    return out.getvalue()


def _rgb(colour: tuple[int, int, int]) -> Any:
    from reportlab.lib import colors

    return colors.Color(*(c / 255 for c in colour))


class _PdfPage:
    """Draws slides on a reportlab canvas, in inches from the page's top left."""

    def __init__(self, page: Any, regular: str, bold: str) -> None:
        self.page, self.regular, self.bold = page, regular, bold

    def slide(self, slide: Slide, picture: bytes | None) -> None:
        """A slide's headings, key figure, lines, table and picture, top down."""
        is_title = slide.key == "title"
        title_at, sub_at = _heading_boxes(slide)
        self.text(title_at, slide.title, 40 if is_title else 26, BLUE, self.bold)
        if slide.subtitle:
            self.text(sub_at, slide.subtitle, 24 if is_title else 15, GREY)
        left, top, width, height = _body(slide, picture is not None)
        if slide.big:
            size = big_size(slide.big, 50)
            big = self.text((left, top, width, 1.0), slide.big, size, BLUE, self.bold)
            label_at = (left, top + big + 0.1, width, 0.9)
            used = self.text(label_at, slide.big_label, 15)
            top += big + used + 0.3
        if slide.lines:
            size = 17 if len(slide.lines) <= 6 else 14
            lines_at = (left, top, width, 2.5)
            top += self.text(lines_at, slide.lines, size, bullet=True) + 0.2
        if slide.table:
            head, rows = slide.table
            size = _table_size(rows, 11, 9)
            for where, part in _table_places((left, top, width, height), rows):
                self.table(where, head, part, size)
        if picture is not None:
            self.picture(picture)

    def text(
        self,
        where: Box,
        lines: str | list[str],
        size: float,
        colour: tuple[int, int, int] = DARK,
        font: str | None = None,
        bullet: bool = False,
    ) -> float:
        """Wrapped lines from the top of ``where``; the height used, in inches."""
        from reportlab.lib.utils import simpleSplit

        left, top, width, _height = where
        y = (HEIGHT - top) * INCH - size
        self.page.setFillColor(_rgb(colour))
        face = font or self.regular
        for line in lines if isinstance(lines, list) else [lines]:
            shown = simpleSplit(
                ("• " if bullet else "") + line, face, size, width * INCH
            )
            for part in shown:
                self.page.setFont(face, size)
                self.page.drawString(left * INCH, y, part)
                y -= size * 1.3
            y -= size * 0.35 if bullet else 0
        return ((HEIGHT - top) * INCH - size - y) / INCH

    def table(
        self, where: Box, head: list[str], rows: list[list[str]], size: float
    ) -> None:
        """A table with a shaded bold header row, its columns as wide as their
        text, each cell's text wrapped to its column."""
        from reportlab.lib import colors
        from reportlab.lib.utils import simpleSplit
        from reportlab.platypus import Table, TableStyle

        left, top, width, _height = where
        widths = column_widths(head, rows, width)
        wrap = [
            [
                simpleSplit(str(c), self.regular, size, w * INCH - 6)
                for c, w in zip(row, widths, strict=True)
            ]
            for row in [head, *rows]
        ]
        cells = [["\n".join(parts) for parts in row] for row in wrap]
        grid = Table(cells, colWidths=[w * INCH for w in widths])
        grid.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.regular, size, size * 1.2),
                    ("FONT", (0, 0), (-1, 0), self.bold, size, size * 1.2),
                    ("BACKGROUND", (0, 0), (-1, 0), _rgb(HEAD_FILL)),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.lightgrey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        _w, h = grid.wrapOn(self.page, width * INCH, HEIGHT * INCH)
        grid.drawOn(self.page, left * INCH, (HEIGHT - top) * INCH - h)

    def picture(self, picture: bytes) -> None:
        """The slide's map or chart, scaled to fit the picture column."""
        from reportlab.lib.utils import ImageReader

        pl, pt, pw, ph = _picture_box()
        image = ImageReader(io.BytesIO(picture))
        iw, ih = image.getSize()
        scale = min(pw / iw, ph / ih)
        self.page.drawImage(
            image,
            pl * INCH,
            (HEIGHT - pt - ih * scale) * INCH,
            width=iw * scale * INCH,
            height=ih * scale * INCH,
        )

    def footer(self, text: str) -> None:
        """The footer line, under a thin rule across the page."""
        from reportlab.lib import colors

        self.page.setStrokeColor(colors.lightgrey)
        y = (HEIGHT - FOOTER[1] + 0.05) * INCH
        self.page.line(MARGIN * INCH, y, (WIDTH - MARGIN) * INCH, y)
        self.text(FOOTER, text, 9, GREY)
