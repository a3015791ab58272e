"""The printed map ('Tải bản đồ'): its geometry (scale bar, north arrow, labels),
the file read back (pypdf), its map area drawn again as PNG and compared with the
screen's classes, the scope and the audit."""

from __future__ import annotations

import io
import json
import re
from urllib.parse import urlencode

import pytest
from PIL import Image
from pypdf import PdfReader
from shapely.geometry import shape
from sqlalchemy import text

from callbacks import map_print as print_callbacks
from callbacks.themes import VIEWS
from geo import print_layout as geo
from layouts import map_print
from layouts.legend import NO_DATA_COLOUR

CHU_SE = {"unit": "633", "tree": "legacy", "period": "2024"}
GIA_LAI = {"unit": "64", "tree": "legacy", "period": "2024"}


def _url(fmt: str, **params: str) -> str:
    return f"/map/print.{fmt}?{urlencode(params)}"


# --- geometry -----------------------------------------------------------------------


def test_nice_lengths_are_one_two_or_five_times_a_power_of_ten() -> None:
    assert geo.nice_length(37) == 20
    assert geo.nice_length(9.9) == 5
    assert geo.nice_length(0.31) == pytest.approx(0.2)
    assert geo.nice_length(100) == 100


def test_the_scale_bar_measures_a_known_width_at_the_area_latitude() -> None:
    # a box 0.5 degree wide at 14 N (about Chư Sê): its width on the ground
    bbox = (108.0, 13.75, 108.5, 14.25)
    projection = geo.Projection.fit(bbox, (0, 0, 500, 400), padding=0)
    mid = projection.centre_lat
    assert mid == pytest.approx(14.0, abs=0.01)
    west, east = projection.point(108.0, mid), projection.point(108.5, mid)
    width_km = geo.distance_km((108.0, mid), (108.5, mid))
    assert width_km == pytest.approx(53.9, abs=0.2)  # 0.5 deg x 111.3 x cos 14
    # the page's width of the box, read in kilometres with the bar's scale
    assert (east[0] - west[0]) * projection.km_per_point() == pytest.approx(
        width_km, rel=0.005
    )
    bar = geo.scale_bar(projection, 125)
    assert bar.km == 10  # a quarter of the map: 13.5 km at most, rounded down
    assert bar.length == pytest.approx(10 / width_km * (east[0] - west[0]), rel=0.005)
    # further north the same kilometres are longer on a Mercator page
    north = geo.Projection.fit((108.0, 21.75, 108.5, 22.25), (0, 0, 500, 400), 0)
    assert north.km_per_point() < projection.km_per_point()


def test_north_is_up_in_the_screen_projection() -> None:
    projection = geo.Projection.fit((107.5, 13.0, 108.8, 14.6), (0, 0, 300, 300))
    assert geo.north_angle(projection) == pytest.approx(0.0, abs=1e-9)


def test_labels_never_overlap_and_the_first_ones_win() -> None:
    anchors = [(50, 50), (55, 52), (200, 50), (50, 300)]
    sizes = [(40, 10)] * 4
    boxes = geo.place_labels(
        anchors, sizes, within=(0, 0, 250, 250), taken=[(190, 40, 260, 60)]
    )
    assert boxes[0] is not None
    assert boxes[1] is None  # overlaps the first
    assert boxes[2] is None  # over the scale bar's box
    assert boxes[3] is None  # off the map
    placed = [b for b in boxes if b]
    assert all(
        not geo.overlaps(a, b) for i, a in enumerate(placed) for b in placed[i + 1 :]
    )


# --- the file -----------------------------------------------------------------------


def test_the_pdf_has_one_page_with_title_legend_source_and_scale(client_as) -> None:
    client = client_as("admin")
    params = {**GIA_LAI, "theme": "incidents", "cat": "abuse", "measure": "count"}
    with client:
        response = client.get(_url("pdf", **params, lang="vi"))
        assert response.status_code == 200
        printed = print_callbacks.print_map(params | {"lang": "vi"})
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    words = reader.pages[0].extract_text()
    flat = " ".join(words.split())
    assert "Xâm hại" in flat or "xâm hại" in flat.lower()
    assert "Gia Lai" in flat
    for _colour, label in printed.map.legend:  # classes, "<5", no data
        assert " ".join(label.split()) in flat, label
    assert "Nguồn: hệ thống theo dõi" in flat
    assert re.search(r"\d+(,\d+)? km", flat)
    assert "In bởi t_admin" in flat  # exact figures: the discreet mark
    size = reader.pages[0].mediabox
    assert float(size.width) > float(size.height)  # A4 landscape


def test_a3_portrait_and_english(client_as) -> None:
    client = client_as("viewer")
    params = {**CHU_SE, "theme": "fund", "lang": "en", "paper": "A3"}
    response = client.get(_url("pdf", **params, orient="portrait"))
    assert response.status_code == 200
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(842, abs=1)  # 297 mm
    assert float(page.mediabox.height) == pytest.approx(1191, abs=1)  # 420 mm
    flat = " ".join(page.extract_text().split())
    assert "Source: child protection" in flat and "Huyện Chư Sê" in flat
    assert "Printed by" not in flat  # no exact figures: no mark


def test_svg_is_a_drawing_with_the_same_words(client_as) -> None:
    client = client_as("admin")
    response = client.get(_url("svg", **CHU_SE, theme="child_friendly", lang="en"))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.startswith("<?xml") and "<svg" in body and "</svg>" in body
    assert "Recognised" in body and " km</text>" in body


def test_the_png_map_shows_the_screens_class_of_every_unit(client_as) -> None:
    """The PNG (300 dpi) drawn from the page, sampled inside every unit, has the
    colour of the class the screen's map gives that unit."""
    client = client_as("admin")
    params = {**CHU_SE, "theme": "child_friendly", "lang": "vi", "labels": "0"}
    with client:
        response = client.get(_url("png", **params))
        assert response.status_code == 200
        printed = print_callbacks.print_map(params)
        from callbacks import map_views

        q = map_views.query(
            {"unit": "633", "tree": "legacy"},
            "child_friendly",
            "2024",
            "both",
            [],
            "rate",
            "quantile",
            "vi",
        )
        codes = [u.code for u in printed.map.units]
        screen = VIEWS[q.theme](q, codes)  # what the map callback sends
    image = Image.open(io.BytesIO(response.data)).convert("RGB")
    assert image.info.get("dpi", (0, 0))[0] == pytest.approx(300, abs=1)
    laid = map_print.page(printed.map)
    assert laid.projection is not None
    s = image.width / laid.width
    assert image.width == round(laid.width * 300 / 72)
    colours = [
        screen.legend.colorscale[2 * i][1] for i in range(len(screen.legend.ticktext))
    ]
    checked = 0
    assert len(codes) > 10
    for unit, cls in zip(printed.map.units, screen.classes, strict=True):
        inside = shape(unit.geometry).representative_point()
        x, y = laid.projection.point(inside.x, inside.y)
        pixel = image.getpixel((round(x * s), round((laid.height - y) * s)))
        expected = NO_DATA_COLOUR if cls is None else colours[cls]
        assert "#{:02x}{:02x}{:02x}".format(*pixel) == expected.lower(), unit.name
        checked += 1
    assert checked == len(codes)
    # the colours differ across units: the test would see a wrong class
    assert len({u.colour for u in printed.map.units}) > 1


def test_bad_views_are_not_found_and_anonymous_is_refused(
    client_as, make_app, seeded
) -> None:
    client = client_as("admin")
    assert client.get(_url("doc", **CHU_SE, theme="fund")).status_code == 404
    assert client.get(_url("pdf", **CHU_SE, theme="nope")).status_code == 404
    assert (
        client.get(_url("pdf", **CHU_SE, theme="fund", paper="A5")).status_code == 404
    )
    assert client.get(_url("pdf", unit="zzz", theme="fund")).status_code == 404
    anonymous = make_app(seeded).server.test_client()
    response = anonymous.get(_url("pdf", **CHU_SE, theme="fund"))
    assert response.status_code in (302, 401, 403)


def test_each_print_is_audited_as_an_export(client_as, db) -> None:
    client = client_as("district")
    response = client.get(_url("png", **CHU_SE, theme="timeliness"))
    assert response.status_code == 200
    db.commit()
    row = db.execute(
        text(
            "SELECT username, detail FROM audit_log WHERE action = 'export' "
            "ORDER BY id DESC"
        )
    ).first()
    assert row.username == "t_district"
    detail = json.loads(row.detail)
    assert detail["table"] == "map" and detail["format"] == "png"
    assert detail["area"] == "633" and detail["theme"] == "timeliness"


def test_the_opened_unit_is_outlined(client_as) -> None:
    """``sel`` (the unit whose panel is open) is drawn with a bold outline; no
    other unit is."""
    client = client_as("admin")
    params = {**CHU_SE, "theme": "child_friendly", "lang": "vi"}
    with client:
        assert client.get(_url("pdf", **params)).status_code == 200
        plain = print_callbacks.print_map(params).map
        opened = print_callbacks.print_map(params | {"sel": plain.units[3].code}).map
    assert opened.selected == plain.units[3].code and plain.selected is None

    def bold(m: map_print.PrintMap) -> list:
        return [
            item
            for item in map_print.page(m).items
            if isinstance(item, map_print.Shape)
            and item.fill is None
            and item.stroke == map_print.DARK
            and item.width > 1
        ]

    assert bold(plain) == []
    rings = sum(len(poly) for poly in geo.polygons(plain.units[3].geometry))
    assert len(bold(opened)) == len(geo.polygons(plain.units[3].geometry)) <= rings


def test_units_of_several_parts_and_holes_are_filled_in_their_own_box() -> None:
    """A unit of two parts, one with a hole (an enclave): both parts coloured,
    the hole left white, and nothing painted outside the parts."""
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    hole = [[0.3, 0.3], [0.7, 0.3], [0.7, 0.7], [0.3, 0.7], [0.3, 0.3]]
    far = [[[x + 2, y] for x, y in square]]
    geometry = {"type": "MultiPolygon", "coordinates": [[square, hole], far]}
    unit = map_print.Unit("X", "X", geometry, "#e31a1c")
    m = map_print.PrintMap(
        title="T",
        subtitle="",
        units=[unit],
        legend_title="L",
        legend=[("#e31a1c", "a")],
        footer=["f"],
        north="N",
        labels=False,
    )
    laid = map_print.page(m)
    image = Image.open(io.BytesIO(map_print.png_bytes(laid, dpi=72))).convert("RGB")
    assert laid.projection is not None

    def at(lon: float, lat: float) -> tuple[int, int, int]:
        x, y = laid.projection.point(lon, lat)
        return image.getpixel((round(x), round(laid.height - y)))

    assert at(0.15, 0.15) == at(2.5, 0.5) == (0xE3, 0x1A, 0x1C)
    assert at(0.5, 0.5) == (255, 255, 255)  # the hole
    assert at(1.5, 0.5) == (255, 255, 255)  # between the parts
