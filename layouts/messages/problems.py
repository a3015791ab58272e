"""Problems data/ reports by code (``data.problems``): refused uploads, accounts,
recognition decisions, calendars.  The values named in ``{...}`` are the ones the
problem carries; ``{n:,}`` is a number written the language's way."""

from __future__ import annotations

PROBLEM_MESSAGES: dict[str, dict[str, str]] = {
    # accounts (data.users.UserError)
    "user_password_invalid": {
        "vi": "Mật khẩu không hợp lệ.",
        "en": "The password is not valid.",
    },
    "user_password_short": {
        "vi": "Mật khẩu phải có ít nhất {minimum} ký tự.",
        "en": "The password must have at least {minimum} characters.",
    },
    "user_password_long": {
        "vi": "Mật khẩu không được dài quá {maximum} ký tự.",
        "en": "The password must not be longer than {maximum} characters.",
    },
    "user_unit_required": {
        "vi": "Đơn vị: vai trò '{role}' phải gắn với một đơn vị.",
        "en": "Unit: the role '{role}' must be tied to a unit.",
    },
    "user_unit_none": {
        "vi": "Đơn vị: vai trò '{role}' không gắn với đơn vị nào.",
        "en": "Unit: the role '{role}' is tied to no unit.",
    },
    "user_tree_invalid": {
        "vi": "Cây đơn vị không hợp lệ: '{tree}' (legacy hoặc 2025).",
        "en": "Not a unit tree: '{tree}' (legacy or 2025).",
    },
    "user_unit_district_abolished": {
        "vi": "Đơn vị: từ 1/7/2025 không còn cấp huyện; tài khoản cấp huyện gắn "
        "với một huyện cũ (cây legacy).",
        "en": "Unit: there are no districts from 1 July 2025; a district account "
        "is tied to a former district (the legacy tree).",
    },
    "user_unit_unknown": {
        "vi": "Đơn vị: không tìm thấy mã '{code}' trong cây {tree}.",
        "en": "Unit: no code '{code}' in the {tree} tree.",
    },
    "user_unit_level": {
        "vi": "Đơn vị: mã '{code}' là cấp {level}, vai trò '{role}' cần "
        "một đơn vị cấp {needed}.",
        "en": "Unit: '{code}' is a {level}; the role '{role}' needs a {needed}.",
    },
    "user_unknown": {
        "vi": "Tên đăng nhập: không có tài khoản '{username}'.",
        "en": "Username: no account '{username}'.",
    },
    "user_name_invalid": {
        "vi": "Tên đăng nhập phải dài 3–64 ký tự, gồm chữ cái không dấu, chữ số "
        "và . _ - (bắt đầu bằng chữ cái hoặc chữ số).",
        "en": "A username has 3–64 characters: unaccented letters, digits and "
        ". _ - (starting with a letter or a digit).",
    },
    "user_role_invalid": {
        "vi": "Vai trò không hợp lệ: '{role}' (chọn một trong: {roles}).",
        "en": "Not a role: '{role}' (choose one of: {roles}).",
    },
    "user_name_taken": {
        "vi": "Tên đăng nhập '{username}' đã được dùng.",
        "en": "The username '{username}' is taken.",
    },
    # an uploaded workbook checked before it is parsed (data.xlsx_guard); {where}
    # is one of the xlsx_where_* or xlsx_in_* messages, {bounds} xlsx_bounds
    "xlsx_where_sheet": {"vi": "Trang '{sheet}'", "en": "Sheet '{sheet}'"},
    "xlsx_where_part": {"vi": "Phần {part}", "en": "Part {part}"},
    "xlsx_in_sheet": {
        "vi": "trang '{sheet}' (phần {part})",
        "en": "sheet '{sheet}' (part {part})",
    },
    "xlsx_in_part": {"vi": "phần {part}", "en": "part {part}"},
    "xlsx_bounds": {
        "vi": "{rows:,} dòng × {columns} cột (đến ô {last}{rows})",
        "en": "{rows:,} rows × {columns} columns (up to cell {last}{rows})",
    },
    "xlsx_part_larger": {
        "vi": "Tệp bị hỏng: phần {part} lớn hơn kích thước khai báo trong tệp nén.",
        "en": "The file is damaged: part {part} is larger than the archive declares.",
    },
    "xlsx_elements": {
        "vi": "{where} có hơn {limit:,} phần tử XML: quá lớn cho biểu mẫu này (tệp "
        "có thể đã bị làm phình to); hãy dùng biểu mẫu đã tải về.",
        "en": "{where} has more than {limit:,} XML elements: too large for this "
        "template (the file may have been inflated); use the downloaded template.",
    },
    "xlsx_dimension_invalid": {
        "vi": "{where}: vùng dữ liệu khai báo '{ref}' không hợp lệ (tệp bị hỏng).",
        "en": "{where}: the declared data range '{ref}' is not valid (the file is "
        "damaged).",
    },
    "xlsx_dimension_outside": {
        "vi": "{where} khai báo vùng dữ liệu {ref} ({rows:,} dòng × {columns:,} "
        "cột), vượt giới hạn {bounds} của biểu mẫu: hãy xóa các dòng, cột thừa "
        "hoặc dùng biểu mẫu đã tải về.",
        "en": "{where} declares the data range {ref} ({rows:,} rows × {columns:,} "
        "columns), beyond the template's limit of {bounds}: delete the extra rows "
        "and columns or use the downloaded template.",
    },
    "xlsx_merged_invalid": {
        "vi": "{where}: vùng gộp ô '{ref}' không hợp lệ (tệp bị hỏng).",
        "en": "{where}: the merged range '{ref}' is not valid (the file is damaged).",
    },
    "xlsx_merged_outside": {
        "vi": "{where}: vùng gộp ô {ref} vượt giới hạn {bounds} của biểu mẫu.",
        "en": "{where}: the merged range {ref} is beyond the template's limit of "
        "{bounds}.",
    },
    "xlsx_row_invalid": {
        "vi": "{where}: số dòng '{ref}' không hợp lệ.",
        "en": "{where}: the row number '{ref}' is not valid.",
    },
    "xlsx_row_outside": {
        "vi": "{where}, dòng {row:,}: nằm ngoài giới hạn {bounds} của biểu mẫu: hãy "
        "xóa các dòng thừa.",
        "en": "{where}, row {row:,}: beyond the template's limit of {bounds}: delete "
        "the extra rows.",
    },
    "xlsx_cell_invalid": {
        "vi": "{where}: địa chỉ ô '{ref}' không hợp lệ.",
        "en": "{where}: the cell reference '{ref}' is not valid.",
    },
    "xlsx_cell_outside": {
        "vi": "{where}, ô {cell}: nằm ngoài giới hạn {bounds} của biểu mẫu: hãy xóa "
        "các dòng, cột thừa.",
        "en": "{where}, cell {cell}: beyond the template's limit of {bounds}: delete "
        "the extra rows and columns.",
    },
    "xlsx_cells": {
        "vi": "{where}: tệp có hơn {limit:,} ô: quá nhiều cho biểu mẫu này (có thể "
        "là hàng triệu ô trống được thêm vào); hãy dùng biểu mẫu đã tải về.",
        "en": "{where}: the file has more than {limit:,} cells: too many for this "
        "template (perhaps millions of empty cells were added); use the downloaded "
        "template.",
    },
    "xlsx_xml_broken": {
        "vi": "Tệp bị hỏng: {where} có nội dung XML lỗi ở dòng {line}, cột {column}; "
        "hãy mở tệp bằng Excel, lưu lại rồi gửi lại, hoặc dùng biểu mẫu đã tải về.",
        "en": "The file is damaged: {where} has broken XML at line {line}, column "
        "{column}; open the file in Excel, save it and send it again, or use the "
        "downloaded template.",
    },
    "xlsx_xml_entities": {
        "vi": "Tệp bị từ chối: {where} có khai báo DTD hoặc thực thể XML, điều tệp "
        "Excel không dùng đến.",
        "en": "The file is refused: {where} declares a DTD or XML entities, which "
        "Excel files never use.",
    },
    "xlsx_unpack": {
        "vi": "Tệp bị hỏng: không giải nén được {where} (dữ liệu nén sai).",
        "en": "The file is damaged: {where} cannot be unpacked (bad compressed data).",
    },
    "xlsx_not_zip": {
        "vi": "Tệp không phải tệp Excel (.xlsx) hoặc đã bị hỏng: không mở được như "
        "một tệp .xlsx. Hãy lưu lại dưới dạng .xlsx từ biểu mẫu đã tải về.",
        "en": "The file is not an Excel file (.xlsx) or is damaged: it cannot be "
        "opened as an .xlsx file. Save it as .xlsx from the downloaded template.",
    },
    "xlsx_parts": {
        "vi": "Tệp có {parts:,} phần bên trong (tối đa {limit}): không phải biểu mẫu "
        "báo cáo.",
        "en": "The file holds {parts:,} parts (at most {limit}): not a report "
        "template.",
    },
    "xlsx_encrypted": {
        "vi": "Tệp có phần bị mã hóa (đặt mật khẩu): hãy bỏ mật khẩu rồi gửi lại.",
        "en": "Part of the file is encrypted (password-protected): remove the "
        "password and send it again.",
    },
    "xlsx_unpacked": {
        "vi": "Tệp khi giải nén quá lớn ({size:.1f} MB, tối đa {limit:.1f} MB): có "
        "thể là tệp “bom nén”; hãy dùng biểu mẫu đã tải về.",
        "en": "The file is too large unpacked ({size:.1f} MB, at most {limit:.1f} "
        "MB): perhaps a “zip bomb”; use the downloaded template.",
    },
    "xlsx_no_workbook": {
        "vi": "Tệp .xlsx bị hỏng: thiếu phần {part} (danh sách các trang).",
        "en": "The .xlsx file is damaged: the part {part} (the list of sheets) is "
        "missing.",
    },
    "xlsx_sheets": {
        "vi": "Tệp có {sheets} trang (tối đa {limit}).",
        "en": "The file has {sheets} sheets (at most {limit}).",
    },
    "xlsx_no_sheet": {
        "vi": "Tệp bị hỏng: thiếu nội dung của trang '{sheet}' (phần {part}).",
        "en": "The file is damaged: the contents of sheet '{sheet}' (part {part}) "
        "are missing.",
    },
    # a filled report template read back (data.report_forms); {where} is form_where
    "form_where": {
        "vi": "Trang '{sheet}', ô {column}{row} (dòng {row}, cột {column})",
        "en": "Sheet '{sheet}', cell {column}{row} (row {row}, column {column})",
    },
    "form_empty": {
        "vi": "{where}: chưa nhập số (ghi 0 nếu không có)",
        "en": "{where}: no number entered (write 0 if there is none)",
    },
    "form_not_number": {
        "vi": "{where}: '{value}' không phải là số",
        "en": "{where}: '{value}' is not a number",
    },
    "form_negative": {
        "vi": "{where}: số âm ({value:g}) không hợp lệ",
        "en": "{where}: a negative number ({value:g}) is not valid",
    },
    "form_fraction": {
        "vi": "{where}: phải là số nguyên, tệp ghi {value:g}",
        "en": "{where}: must be a whole number, the file has {value:g}",
    },
    "form_too_large": {
        "vi": "{where}: số quá lớn ({value:,.0f})",
        "en": "{where}: the number is too large ({value:,.0f})",
    },
    "form_file_too_large": {
        "vi": "Tệp quá lớn ({size:.1f} MB); biểu mẫu không quá 5 MB.",
        "en": "The file is too large ({size:.1f} MB); a template is at most 5 MB.",
    },
    "form_file_empty": {
        "vi": "Tệp rỗng: chưa có nội dung.",
        "en": "The file is empty.",
    },
    "form_file_ole": {
        "vi": "Tệp có đặt mật khẩu hoặc là định dạng Excel cũ (.xls): hãy bỏ mật khẩu "
        "và lưu dưới dạng .xlsx từ biểu mẫu đã tải về.",
        "en": "The file has a password or is in the old Excel format (.xls): remove "
        "the password and save it as .xlsx from the downloaded template.",
    },
    "form_file_unreadable": {
        "vi": "Tệp bị hỏng hoặc không phải tệp Excel (.xlsx): Excel không đọc được "
        "nội dung. Hãy mở tệp bằng Excel, lưu lại rồi gửi lại, hoặc dùng biểu "
        "mẫu đã tải về.",
        "en": "The file is damaged or not an Excel file (.xlsx): its contents cannot "
        "be read. Open the file in Excel, save it and send it again, or use the "
        "downloaded template.",
    },
    "form_sheets_missing": {
        "vi": "Không phải biểu mẫu báo cáo này: thiếu trang {sheets}",
        "en": "Not this report's template: missing sheet(s) {sheets}",
    },
    "form_label": {
        "vi": "{where}: phải là '{label}'",
        "en": "{where}: must be '{label}'",
    },
    "form_wrong_form": {
        "vi": "{where}: Không phải biểu mẫu này: tệp ghi '{found}', báo cáo đang nộp "
        "là '{expected}'.",
        "en": "{where}: Not this template: the file has '{found}', the report being "
        "submitted is '{expected}'.",
    },
    "form_wrong_unit": {
        "vi": "{where}: Sai đơn vị: tệp ghi '{found}', báo cáo đang nộp là "
        "'{expected}'.",
        "en": "{where}: Wrong unit: the file has '{found}', the report being "
        "submitted is '{expected}'.",
    },
    "form_wrong_report": {
        "vi": "{where}: Sai loại báo cáo: tệp ghi '{found}', báo cáo đang nộp là "
        "'{expected}'.",
        "en": "{where}: Wrong report: the file has '{found}', the report being "
        "submitted is '{expected}'.",
    },
    "form_wrong_period": {
        "vi": "{where}: Sai kỳ báo cáo: tệp ghi '{found}', báo cáo đang nộp là "
        "'{expected}'.",
        "en": "{where}: Wrong period: the file has '{found}', the report being "
        "submitted is '{expected}'.",
    },
    "form_header_empty": {
        "vi": "{where}: tiêu đề cột phải là '{header}', tệp ghi trống",
        "en": "{where}: the column header must be '{header}', the file has none",
    },
    "form_header": {
        "vi": "{where}: tiêu đề cột phải là '{header}', tệp ghi '{found}'",
        "en": "{where}: the column header must be '{header}', the file has '{found}'",
    },
    "form_row": {
        "vi": "{where}: dòng này phải là '{code}' (đã thêm, xóa hay đổi thứ tự dòng?)",
        "en": "{where}: this row must be '{code}' (were rows added, deleted or "
        "reordered?)",
    },
    "form_uncached": {
        "vi": "{where}: ô có công thức ({formula}) nhưng chưa có giá trị đã tính: hãy "
        "nhập số, hoặc mở tệp bằng Excel và lưu lại",
        "en": "{where}: the cell has a formula ({formula}) but no computed value: "
        "enter a number, or open the file in Excel and save it",
    },
    "form_total": {
        "vi": "{where}: tổng {total:,.0f} khác tổng các phần {parts:,.0f}",
        "en": "{where}: the total {total:,.0f} differs from the sum of its parts "
        "{parts:,.0f}",
    },
}
