"""The ``config`` of every ``dcc.Graph``: nothing leaves the machine, tooltips in
the UI language.

plotly.js 4 shows a "Share chart..." button by default (``showSendToCloud``) that
uploads the figure to ``plotlyServerURL`` (Plotly Cloud).  Every graph of the app
turns it off and empties the URL.  The mode bar's tooltips come from a plotly.js
locale: Vietnamese is passed with the graph (``locales``), so no script or URL is
needed.
"""

from __future__ import annotations

# plotly.js's own English strings (its modebar, notifier and edit prompts) and
# their Vietnamese.  Strings missing here stay English.
VI_DICTIONARY = {
    "Autoscale": "Tự động co giãn",
    "Box Select": "Chọn theo hộp",
    "Cancel": "Hủy",
    "Click to enter Colorscale title": "Nhấn để nhập tiêu đề thang màu",
    "Click to enter Plot title": "Nhấn để nhập tiêu đề biểu đồ",
    "Click to enter X axis title": "Nhấn để nhập tiêu đề trục X",
    "Click to enter Y axis title": "Nhấn để nhập tiêu đề trục Y",
    "Compare data on hover": "So sánh số liệu khi di chuột",
    "Double-click on legend to isolate one trace": (
        "Nhấn đúp vào chú giải để chỉ xem một chuỗi"
    ),
    "Double-click to zoom back out": "Nhấn đúp để thu nhỏ lại",
    "Download plot": "Tải biểu đồ",
    "Download plot as a PNG": "Tải biểu đồ dạng ảnh PNG",
    "Download plot as JSON": "Tải biểu đồ dạng JSON",
    "Draw circle": "Vẽ hình tròn",
    "Draw closed freeform": "Vẽ hình kín tự do",
    "Draw line": "Vẽ đường thẳng",
    "Draw open freeform": "Vẽ đường tự do",
    "Draw rectangle": "Vẽ hình chữ nhật",
    "Erase active shape": "Xóa hình đang chọn",
    "Image download succeeded": "Đã tải ảnh xong",
    "JSON download succeeded": "Đã tải JSON xong",
    "Lasso Select": "Chọn tự do",
    "Orbital rotation": "Xoay quanh quỹ đạo",
    "Pan": "Kéo bản đồ",
    "Preparing image - this may take a few seconds": (
        "Đang chuẩn bị ảnh - có thể mất vài giây"
    ),
    "Reset": "Đặt lại",
    "Reset axes": "Đặt lại trục",
    "Reset camera to default": "Đặt lại góc nhìn mặc định",
    "Reset camera to last save": "Đặt lại góc nhìn đã lưu",
    "Reset view": "Đặt lại khung nhìn",
    "Reset views": "Đặt lại khung nhìn",
    "Show closest data on hover": "Hiện số liệu gần nhất khi di chuột",
    "Snapshot succeeded": "Chụp ảnh thành công",
    "Sorry, there was a problem downloading your image!": (
        "Xin lỗi, đã có lỗi khi tải ảnh!"
    ),
    "Sorry, there was a problem downloading your JSON file!": (
        "Xin lỗi, đã có lỗi khi tải tệp JSON!"
    ),
    "Taking snapshot - this may take a few seconds": (
        "Đang chụp ảnh - có thể mất vài giây"
    ),
    "Toggle Spike Lines": "Bật/tắt đường gióng",
    "Toggle show closest data on hover": "Bật/tắt hiện số liệu gần nhất",
    "Turntable rotation": "Xoay bàn xoay",
    "Zoom": "Phóng to vùng chọn",
    "Zoom in": "Phóng to",
    "Zoom out": "Thu nhỏ",
}
VI_FORMAT = {
    "days": [
        "Chủ nhật",
        *(f"Thứ {d}" for d in ("hai", "ba", "tư", "năm", "sáu", "bảy")),
    ],
    "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
    "months": [f"Tháng {m}" for m in range(1, 13)],
    "shortMonths": [f"Th{m}" for m in range(1, 13)],
    "date": "%d/%m/%Y",
    "decimal": ",",
    "thousands": ".",
}
LOCALES = {"vi": {"dictionary": VI_DICTIONARY, "format": VI_FORMAT}}

# Turned off on every graph: these buttons send the figure off the machine.
NO_CLOUD = {
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "sendData": False,
    "plotlyServerURL": "",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["sendChartToCloud", "sendDataToCloud"],
}


def graph_config(lang: str, **options: object) -> dict:
    """A dcc.Graph ``config`` in ``lang`` ("vi" or "en"), plus ``options``."""
    config: dict = {**NO_CLOUD, **options}
    config["modeBarButtonsToRemove"] = [
        *NO_CLOUD["modeBarButtonsToRemove"],
        *options.get("modeBarButtonsToRemove", []),  # type: ignore[misc]
    ]
    if lang == "vi":
        config["locale"] = "vi"
        config["locales"] = LOCALES
    else:
        config["locale"] = "en"
    return config
