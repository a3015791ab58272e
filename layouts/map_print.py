"""The printed map: one page laid out as a cartographer would, written as PDF
(reportlab, true vectors), SVG (plain XML) or PNG (Pillow, 300 dpi).

``page`` lays the page out once as a list of plain drawing items (shapes, lines,
texts) in PDF points; each writer only draws those items, so the three formats
show the same page.  The map is drawn in the screen's projection
(``geo.print_layout``), which gives the scale bar its true length.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from geo import print_layout as geo
from layouts.formatting import number
from layouts.legend import NO_DATA_COLOUR, Legend

MM = 72 / 25.4
FONTS = (  # a font with Vietnamese letters (Debian's DejaVu): the map and the deck
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
PAPERS = {"A4": (210 * MM, 297 * MM), "A3": (297 * MM, 420 * MM)}
ORIENTATIONS = ("landscape", "portrait")
FORMATS = ("pdf", "png", "svg")
DPI = 300
FONT, BOLD = "MapSans", "MapSans-Bold"
DARK, GREY, LINE = "#212529", "#6c757d", "#ffffff"
EDGE = "#555555"  # the outline of the area's units
FOCUS = "#d62728"  # the area in the inset

Point = tuple[float, float]


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    geometry: dict  # GeoJSON Polygon or MultiPolygon, lon/lat
    colour: str  # its class's colour (NO_DATA_COLOUR: no value)
    area: float = 0.0  # for the labels' priority: the larger first


@dataclass(frozen=True)
class PrintMap:
    """What the printed page says; every string already in the page's language."""

    title: str
    subtitle: str
    units: Sequence[Unit]
    legend_title: str
    legend: Sequence[tuple[str, str]]  # (colour, label), "no data" included
    footer: Sequence[str]  # source, data as of, notes
    north: str  # "N" / "B"
    inset: Sequence[dict] = ()  # geometries around the area
    inset_focus: dict | None = None  # the area's own outline in the inset
    labels: bool = True
    mark: str = ""  # who printed it and when (roles that see protected figures)
    lang: str = "vi"
    selected: str | None = None  # the unit the user opened: outlined


def coloured(
    features: Sequence[dict],
    names: Sequence[str],
    classes: Sequence[int | None],
    legend: Legend,
    no_data: str,
) -> tuple[list[Unit], list[tuple[str, str]]]:
    """The units of ``features`` in their class's colour, and the legend's
    entries (colour, label) with the "no data" swatch: as the screen's map and
    legend colour them (``layouts.legend``)."""
    colours = [legend.colorscale[2 * i][1] for i in range(len(legend.ticktext))]
    units = []
    for f, name, c in zip(features, names, classes, strict=True):
        box = geo.geometry_bounds(f["geometry"]) or (0, 0, 0, 0)
        units.append(
            Unit(
                code=f["id"],
                name=name,
                geometry=f["geometry"],
                colour=NO_DATA_COLOUR if c is None else colours[c],
                area=(box[2] - box[0]) * (box[3] - box[1]),
            )
        )
    entries = list(zip(colours, legend.ticktext, strict=True))
    if (NO_DATA_COLOUR, no_data) not in entries:
        entries.append((NO_DATA_COLOUR, no_data))
    return units, entries


@dataclass(frozen=True)
class Shape:
    rings: list[list[Point]]  # the first outer, holes after (even-odd)
    fill: str | None
    stroke: str | None = None
    width: float = 0.4


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str
    size: float
    bold: bool = False
    anchor: str = "start"  # start | middle | end
    colour: str = DARK
    halo: bool = False  # a white edge, for names over the map


@dataclass
class Page:
    width: float
    height: float
    items: list[Shape | Text] = field(default_factory=list)
    map_frame: geo.Box = (0.0, 0.0, 0.0, 0.0)
    projection: geo.Projection | None = None
    scale: geo.ScaleBar | None = None
    labelled: list[str] = field(default_factory=list)  # codes whose name is shown


def paper(size: str, orientation: str) -> tuple[float, float]:
    short, long = PAPERS[size]
    return (long, short) if orientation == "landscape" else (short, long)


def fonts() -> tuple[str, str]:
    """The DejaVu fonts (Vietnamese letters), registered with reportlab."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = FONTS
    if not (regular.is_file() and bold.is_file()):
        raise FileNotFoundError(
            f"the map needs the DejaVu fonts ({regular.parent}): "
            "apt-get install fonts-dejavu-core"
        )
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(regular)))
        pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
    return FONT, BOLD


def text_width(text: str, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fonts()
    return stringWidth(text, BOLD if bold else FONT, size)


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}".strip()
            if line and text_width(trial, size, bold) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


# --- the layout -----------------------------------------------------------------


def page(m: PrintMap, size: str = "A4", orientation: str = "landscape") -> Page:
    """The page's items, in drawing order."""
    width, height = paper(size, orientation)
    out = Page(width, height)
    k = 1.0 if size == "A4" else 1.25  # A3: larger type
    margin = 12 * MM
    inner = width - 2 * margin
    top = height - margin
    # title and subtitle
    y = top
    for line in wrap(m.title, 16 * k, inner, bold=True):
        y -= 19 * k
        out.items.append(Text(margin, y, line, 16 * k, bold=True))
    for line in wrap(m.subtitle, 10 * k, inner):
        y -= 13 * k
        out.items.append(Text(margin, y, line, 10 * k, colour=GREY))
    y -= 8 * k
    # footer, from the bottom up
    foot_size = 7.5 * k
    foot_lines = [ln for part in m.footer for ln in wrap(part, foot_size, inner)]
    bottom = margin + len(foot_lines) * foot_size * 1.3
    fy = bottom
    for line in foot_lines:
        fy -= foot_size * 1.3
        out.items.append(Text(margin, fy + 2, line, foot_size, colour=GREY))
    if m.mark:
        out.items.append(
            Text(width - margin, margin / 2, m.mark, 6.5 * k, anchor="end", colour=GREY)
        )
    body = (margin, bottom + 6 * k, width - margin, y)
    # the side panel (landscape: a column on the right; portrait: a band below)
    if orientation == "landscape":
        side_w = 62 * MM * k
        map_frame = (body[0], body[1], body[2] - side_w - 6 * MM, body[3])
        side = (body[2] - side_w, body[1], body[2], body[3])
    else:
        band = 62 * MM * k
        map_frame = (body[0], body[1] + band + 4 * MM, body[2], body[3])
        side = (body[0], body[1], body[2], body[1] + band)
    _map(out, m, map_frame, k)
    _side(out, m, side, k, orientation)
    return out


def panel(m: PrintMap, width: float, height: float, k: float = 1.0) -> Page:
    """The map and, beside it, its legend and inset, filling ``width`` x
    ``height`` points with no title or footer: a slide's picture (the slide
    says those)."""
    out = Page(width, height)
    pad = 3 * MM * k
    side_w = min(62 * MM * k, width * 0.34)
    frame = (pad, pad, width - side_w - 2 * pad, height - pad)
    _map(out, m, frame, k)
    side = (width - side_w - pad, pad, width - pad, height - pad)
    _side(out, m, side, k, "landscape")
    return out


def picture(m: PrintMap, pixels: tuple[int, int], inches: float, k: float) -> bytes:
    """``panel`` as a PNG of ``pixels``, laid out for a picture ``inches`` wide
    (its type in true points at that size)."""
    width = inches * 72
    height = width * pixels[1] / pixels[0]
    return png_bytes(panel(m, width, height, k), dpi=round(pixels[0] / inches))


def _rings(projection: geo.Projection, geometry: dict) -> list[list[list[Point]]]:
    return [[projection.ring(ring) for ring in poly] for poly in geo.polygons(geometry)]


def _map(out: Page, m: PrintMap, frame: geo.Box, k: float) -> None:
    out.map_frame = frame
    boxes = [geo.geometry_bounds(u.geometry) for u in m.units]
    bbox = geo.union(boxes) or (102.1, 8.2, 109.5, 23.4)
    projection = geo.Projection.fit(bbox, frame)
    out.projection = projection
    x0, y0, x1, y1 = frame
    out.items.append(Shape([_rect(frame)], None, stroke="#adb5bd", width=0.6))
    for u in m.units:
        for poly in _rings(projection, u.geometry):
            out.items.append(Shape(poly, u.colour, stroke=LINE, width=0.5))
    # the area's outline over the units, the unit the user opened in bold
    for u in m.units:
        for poly in _rings(projection, u.geometry):
            out.items.append(Shape(poly, None, stroke=EDGE, width=0.25))
    for u in m.units:
        if u.code == m.selected:
            for poly in _rings(projection, u.geometry):
                out.items.append(Shape(poly, None, stroke=DARK, width=1.8 * k))
    furniture = _north_and_scale(out, projection, frame, k, m.north, m.lang)
    if m.labels:
        _labels(out, m, projection, frame, furniture, k)


def _rect(box: geo.Box) -> list[Point]:
    x0, y0, x1, y1 = box
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


def _north_and_scale(
    out: Page,
    projection: geo.Projection,
    frame: geo.Box,
    k: float,
    north: str,
    lang: str,
) -> list[geo.Box]:
    """The scale bar at the map's bottom left, the north arrow at its top right;
    the boxes they take (no name is written over them)."""
    x0, y0, x1, y1 = frame
    bar = geo.scale_bar(projection, (x1 - x0) * 0.25)
    out.scale = bar
    bx, by = x0 + 8 * k, y0 + 10 * k
    step = bar.length / bar.segments
    for i in range(bar.segments):
        fill = DARK if i % 2 == 0 else "#ffffff"
        box = (bx + i * step, by, bx + (i + 1) * step, by + 3.5 * k)
        out.items.append(Shape([_rect(box)], fill, stroke=DARK, width=0.5))
    label = f"{_km(bar.km, lang)} km"
    size = 7.5 * k
    out.items.append(Text(bx, by + 6 * k, "0", size, anchor="middle", halo=True))
    out.items.append(
        Text(bx + bar.length, by + 6 * k, label, size, anchor="middle", halo=True)
    )
    scale_box = (bx - 6, by - 2, bx + bar.length + text_width(label, size), by + 16 * k)
    # north arrow: a half-filled arrowhead pointing to true north
    angle = geo.north_angle(projection)
    cx, cy, r = x1 - 14 * k, y1 - 22 * k, 9 * k
    a = math.radians(angle)

    def rot(dx: float, dy: float) -> Point:
        return (
            cx + dx * math.cos(a) + dy * math.sin(a),
            cy - dx * math.sin(a) + dy * math.cos(a),
        )

    tip, left, right, base = (
        rot(0, r),
        rot(-r * 0.55, -r),
        rot(r * 0.55, -r),
        rot(0, -r * 0.45),
    )
    out.items.append(Shape([[tip, left, base, tip]], "#ffffff", stroke=DARK, width=0.6))
    out.items.append(Shape([[tip, base, right, tip]], DARK, stroke=DARK, width=0.6))
    nx, ny = rot(0, r + 3 * k)
    out.items.append(Text(nx, ny, north, 9 * k, bold=True, anchor="middle", halo=True))
    north_box = (cx - r - 4, cy - r - 4, cx + r + 4, y1)
    return [scale_box, north_box]


def _km(km: float, lang: str) -> str:
    return number(km, lang, max(0, -math.floor(math.log10(km))))


def _labels(
    out: Page,
    m: PrintMap,
    projection: geo.Projection,
    frame: geo.Box,
    taken: list[geo.Box],
    k: float,
) -> None:
    """Unit names at their label points, the larger units first; a name that
    would overlap one already written is left out."""
    from geo.geojson import label_points

    collection = {
        "features": [
            {"id": u.code, "geometry": u.geometry, "properties": {}} for u in m.units
        ]
    }
    points = label_points(collection)
    order = sorted(range(len(m.units)), key=lambda i: -m.units[i].area)
    size = 6.5 * k if len(m.units) > 25 else 7.5 * k
    anchors, sizes, chosen = [], [], []
    for i in order:
        if not points or points[i] is None:
            continue
        lon, lat = points[i]
        anchors.append(projection.point(lon, lat))
        sizes.append((text_width(m.units[i].name, size) + 2, size * 1.2))
        chosen.append(i)
    boxes = geo.place_labels(anchors, sizes, within=frame, taken=taken)
    for i, box in zip(chosen, boxes, strict=True):
        if box is None:
            continue
        x = (box[0] + box[2]) / 2
        y = box[1] + size * 0.3
        out.items.append(Text(x, y, m.units[i].name, size, anchor="middle", halo=True))
        out.labelled.append(m.units[i].code)


def _side(out: Page, m: PrintMap, box: geo.Box, k: float, orientation: str) -> None:
    """The legend, then the inset."""
    x0, y0, x1, y1 = box
    if orientation == "portrait":
        legend_box = (x0, y0, (x0 + x1) / 2 - 4 * MM, y1)
        inset_box = ((x0 + x1) / 2 + 4 * MM, y0, x1, y1)
    else:
        split = y1 - (y1 - y0) * 0.55
        legend_box = (x0, split, x1, y1)
        inset_box = (x0, y0, x1, split - 4 * MM)
    _legend(out, m, legend_box, k)
    _inset(out, m, inset_box, k)


def _legend(out: Page, m: PrintMap, box: geo.Box, k: float) -> None:
    x0, y0, x1, y1 = box
    y = y1
    for line in wrap(m.legend_title, 9 * k, x1 - x0, bold=True):
        y -= 11 * k
        out.items.append(Text(x0, y, line, 9 * k, bold=True))
    y -= 4 * k
    sw, sh = 14 * k, 9 * k
    for colour, label in m.legend:
        y -= sh + 3 * k
        out.items.append(
            Shape([_rect((x0, y, x0 + sw, y + sh))], colour, stroke=EDGE, width=0.4)
        )
        out.items.append(Text(x0 + sw + 5 * k, y + 2 * k, label, 8 * k))


def _inset(out: Page, m: PrintMap, box: geo.Box, k: float) -> None:
    """A small map of the wider area with this one marked."""
    if not m.inset or m.inset_focus is None:
        return
    x0, y0, x1, y1 = box
    side = min(x1 - x0, y1 - y0)
    frame = (x0, y1 - side, x0 + side, y1)
    bbox = geo.union(geo.geometry_bounds(g) for g in [*m.inset, m.inset_focus])
    if bbox is None:
        return
    projection = geo.Projection.fit(bbox, frame, padding=0.06)
    out.items.append(Shape([_rect(frame)], "#ffffff", stroke="#adb5bd", width=0.6))
    for g in m.inset:
        for poly in _rings(projection, g):
            out.items.append(Shape(poly, "#e9ecef", stroke="#adb5bd", width=0.3))
    for poly in _rings(projection, m.inset_focus):
        out.items.append(Shape(poly, FOCUS, stroke=FOCUS, width=0.6))


# --- the writers ----------------------------------------------------------------


def pdf_bytes(p: Page, title: str = "") -> bytes:
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen import canvas

    regular, bold = fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(p.width, p.height))
    c.setTitle(title)
    c.setLineJoin(1)
    for item in p.items:
        if isinstance(item, Shape):
            path = c.beginPath()
            for ring in item.rings:
                path.moveTo(*ring[0])
                for pt in ring[1:]:
                    path.lineTo(*pt)
                path.close()
            if item.fill:
                c.setFillColor(HexColor(item.fill))
            if item.stroke:
                c.setStrokeColor(HexColor(item.stroke))
                c.setLineWidth(item.width)
            c.drawPath(
                path,
                stroke=int(bool(item.stroke)),
                fill=int(bool(item.fill)),
                fillMode=0,
            )
            continue
        font = bold if item.bold else regular
        x = item.x - _shift(item)
        if item.halo:
            t = c.beginText(x, item.y)
            t.setFont(font, item.size)
            t.setTextRenderMode(1)
            c.setStrokeColor(HexColor("#ffffff"))
            c.setLineWidth(item.size * 0.25)
            t.textOut(item.text)
            c.drawText(t)
        c.setFillColor(HexColor(item.colour))
        c.setFont(font, item.size)
        c.drawString(x, item.y, item.text)
    c.showPage()
    c.save()
    return out.getvalue()


def _shift(item: Text) -> float:
    if item.anchor == "start":
        return 0.0
    w = text_width(item.text, item.size, item.bold)
    return w / 2 if item.anchor == "middle" else w


def svg_bytes(p: Page) -> bytes:
    h = p.height
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{p.width / MM:.1f}mm" '
        f'height="{p.height / MM:.1f}mm" viewBox="0 0 {p.width:.2f} {p.height:.2f}" '
        'font-family="DejaVu Sans, sans-serif">',
        f'<rect width="{p.width:.2f}" height="{p.height:.2f}" fill="#ffffff"/>',
    ]
    for item in p.items:
        if isinstance(item, Shape):
            d = " ".join(
                "M" + " L".join(f"{x:.2f},{h - y:.2f}" for x, y in ring) + " Z"
                for ring in item.rings
            )
            stroke = (
                f' stroke="{item.stroke}" stroke-width="{item.width}"'
                ' stroke-linejoin="round"'
                if item.stroke
                else ""
            )
            parts.append(
                f'<path d="{d}" fill="{item.fill or "none"}" fill-rule="evenodd"'
                f"{stroke}/>"
            )
            continue
        anchor = item.anchor
        weight = ' font-weight="bold"' if item.bold else ""
        halo = (
            f' stroke="#ffffff" stroke-width="{item.size * 0.25:.2f}"'
            ' paint-order="stroke"'
            if item.halo
            else ""
        )
        parts.append(
            f'<text x="{item.x:.2f}" y="{h - item.y:.2f}" font-size="{item.size:.2f}"'
            f' text-anchor="{anchor}" fill="{item.colour}"{weight}{halo}>'
            f"{escape(item.text)}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts).encode("utf-8")


def png_bytes(p: Page, dpi: int = DPI) -> bytes:
    """The page as a PNG at ``dpi`` dots per inch (300: print quality)."""
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    s = dpi / 72
    size = (round(p.width * s), round(p.height * s))
    image = Image.new("RGB", size, "#ffffff")
    draw = ImageDraw.Draw(image)

    def px(pt: Point) -> tuple[float, float]:
        return pt[0] * s, (p.height - pt[1]) * s

    fonts_by_size: dict[tuple[float, bool], ImageFont.FreeTypeFont] = {}
    for item in p.items:
        if isinstance(item, Shape):
            rings = [[px(pt) for pt in ring] for ring in item.rings]
            if item.fill:
                if len(rings) == 1:
                    draw.polygon(rings[0], fill=item.fill)
                else:  # even-odd: each ring flips what it covers, in its box
                    xs = [x for ring in rings for x, _ in ring]
                    ys = [y for ring in rings for _, y in ring]
                    x0, y0 = math.floor(min(xs)), math.floor(min(ys))
                    box = (x0, y0, math.ceil(max(xs)) + 1, math.ceil(max(ys)) + 1)
                    local = (box[2] - x0, box[3] - y0)
                    mask = Image.new("1", local, 0)
                    for ring in rings:
                        ring_mask = Image.new("1", local, 0)
                        shifted = [(x - x0, y - y0) for x, y in ring]
                        ImageDraw.Draw(ring_mask).polygon(shifted, fill=1)
                        mask = ImageChops.logical_xor(mask, ring_mask)
                    image.paste(item.fill, box, mask=mask)
            if item.stroke:
                for ring in rings:
                    draw.line(
                        [*ring, ring[0]],
                        fill=item.stroke,
                        width=max(1, round(item.width * s)),
                        joint="curve",
                    )
            continue
        key = (item.size, item.bold)
        if key not in fonts_by_size:
            fonts_by_size[key] = ImageFont.truetype(
                str(FONTS[1 if item.bold else 0]), round(item.size * s)
            )
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}[item.anchor]
        draw.text(
            px((item.x, item.y)),
            item.text,
            font=fonts_by_size[key],
            fill=item.colour,
            anchor=anchor,
            stroke_width=round(item.size * 0.12 * s) if item.halo else 0,
            stroke_fill="#ffffff",
        )
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def render(
    m: PrintMap, fmt: str, size: str = "A4", orientation: str = "landscape"
) -> bytes:
    """The printed map as ``fmt`` (pdf, png or svg)."""
    if fmt not in FORMATS:
        raise ValueError(f"format: {fmt!r} (use pdf, png or svg)")
    if size not in PAPERS or orientation not in ORIENTATIONS:
        raise ValueError(
            f"paper: {size} {orientation} (A4 or A3, landscape or portrait)"
        )
    laid = page(m, size, orientation)
    if fmt == "pdf":
        return pdf_bytes(laid, m.title)
    if fmt == "svg":
        return svg_bytes(laid)
    return png_bytes(laid)
