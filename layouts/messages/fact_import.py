"""Importing a province's own facts (data.fact_import): where a problem lies,
what is wrong with the file, a row or a value, and the command line's summary."""

from __future__ import annotations

FACT_IMPORT_MESSAGES: dict[str, dict[str, str]] = {
    # where: a cell of the data sheet, or of a CSV file
    "fact_where": {
        "vi": "Trang '{sheet}', ô {column}{row} (dòng {row}, cột {column} '{header}')",
        "en": "Sheet '{sheet}', cell {column}{row} (row {row}, column {column} "
        "'{header}')",
    },
    "fact_where_csv": {
        "vi": "Dòng {row}, cột {column} ('{header}')",
        "en": "Line {row}, column {column} ('{header}')",
    },
    # the file and its header row: the whole file is refused
    "fact_file_too_large": {
        "vi": "Tệp quá lớn ({size:.1f} MB); tối đa {limit:.1f} MB.",
        "en": "The file is too large ({size:.1f} MB); at most {limit:.1f} MB.",
    },
    "fact_no_sheet": {
        "vi": "Không có trang '{sheet}': hãy dùng biểu mẫu nhập liệu đã tải về.",
        "en": "No sheet '{sheet}': use the import template downloaded.",
    },
    "fact_csv_encoding": {
        "vi": "Tệp CSV không phải mã UTF-8: trong Excel hãy lưu dưới dạng "
        "'CSV UTF-8 (Comma delimited)'.",
        "en": "The CSV file is not UTF-8: in Excel save it as "
        "'CSV UTF-8 (Comma delimited)'.",
    },
    "fact_csv_broken": {
        "vi": "Tệp CSV bị lỗi cấu trúc ({reason}).",
        "en": "The CSV file is malformed ({reason}).",
    },
    "fact_no_header": {
        "vi": "Dòng 1 phải là dòng tiêu đề của biểu mẫu; tệp không có tiêu đề.",
        "en": "Row 1 must hold the template's headers; the file has none.",
    },
    "fact_header_missing": {
        "vi": "Thiếu cột bắt buộc '{header}'.",
        "en": "The required column '{header}' is missing.",
    },
    "fact_header_twice": {
        "vi": "{where}: cột này đã có ở cột {first}.",
        "en": "{where}: this column is already column {first}.",
    },
    "fact_header_unknown": {
        "vi": "{where}: cột không có trong biểu mẫu; hãy xóa cột này.",
        "en": "{where}: the template has no such column; delete it.",
    },
    "fact_header_personal": {
        "vi": "{where}: cột có vẻ chứa {what} của một người. Không được nhập "
        "thông tin cá nhân: cả tệp bị từ chối, hãy xóa cột này.",
        "en": "{where}: the column seems to hold a person's {what}. Personal "
        "data may not be imported: the whole file is refused; delete the column.",
    },
    "fact_personal_name": {"vi": "họ tên", "en": "name"},
    "fact_personal_birth": {"vi": "ngày sinh", "en": "date of birth"},
    "fact_personal_id": {"vi": "số giấy tờ tùy thân", "en": "identity number"},
    "fact_personal_address": {"vi": "địa chỉ", "en": "address"},
    "fact_personal_phone": {"vi": "số điện thoại, thư điện tử", "en": "phone or email"},
    "fact_too_many_rows": {
        "vi": "Tệp có quá {limit:,} dòng; hãy chia thành nhiều tệp.",
        "en": "The file has more than {limit:,} rows; split it into several files.",
    },
    "fact_import_role": {
        "vi": "Tài khoản vai trò '{role}' không được nhập số liệu; chỉ quản trị, "
        "cấp tỉnh và cấp huyện (cho xã của huyện mình).",
        "en": "An account with the role '{role}' may not import facts; only "
        "administrators, the province and districts (for their own communes).",
    },
    # a row: this row is refused
    "fact_value_no_header": {
        "vi": "{where}: có giá trị nhưng cột không có tiêu đề.",
        "en": "{where}: a value in a column without a header.",
    },
    "fact_empty": {
        "vi": "{where}: chưa nhập (bắt buộc).",
        "en": "{where}: empty (required).",
    },
    "fact_ref_long": {
        "vi": "{where}: mã dài {length} ký tự; tối đa {limit}.",
        "en": "{where}: the reference has {length} characters; at most {limit}.",
    },
    "fact_ref_twice": {
        "vi": "{where}: mã '{ref}' đã có ở dòng {first}.",
        "en": "{where}: the reference '{ref}' is already on row {first}.",
    },
    "fact_target_twice": {
        "vi": "{where}: chỉ tiêu của đơn vị '{code}' năm {year} đã có ở dòng {first}.",
        "en": "{where}: the target of '{code}' for {year} is already on row {first}.",
    },
    "fact_children_twice": {
        "vi": "{where}: số trẻ em của đơn vị '{code}' năm {year} đã có ở dòng {first}.",
        "en": "{where}: the children of '{code}' for {year} are already on row "
        "{first}.",
    },
    "fact_children_below_cases": {
        "vi": "{where}: {children:,} trẻ em dưới 16 tuổi ít hơn {cases:,} vụ việc "
        "đã ghi nhận ở {what} '{code}' trong năm {year}; số trẻ em không thể ít "
        "hơn số vụ việc.",
        "en": "{where}: {children:,} children under 16 are fewer than the {cases:,} "
        "cases recorded in the {what} '{code}' in {year}; there cannot be more "
        "cases than children.",
    },
    "fact_children_below_some_cases": {
        "vi": "{where}: {children:,} trẻ em dưới 16 tuổi ít hơn số vụ việc đã ghi "
        "nhận ở {what} '{code}' trong năm {year}; số trẻ em không thể ít hơn số "
        "vụ việc.",
        "en": "{where}: {children:,} children under 16 are fewer than the cases "
        "recorded in the {what} '{code}' in {year}; there cannot be more cases "
        "than children.",
    },
    "fact_count_invalid": {
        "vi": "{where}: '{value}' không phải số nguyên (ví dụ 12500 hoặc 12.500).",
        "en": "{where}: '{value}' is not a whole number (e.g. 12500 or 12,500).",
    },
    "fact_count_negative": {
        "vi": "{where}: số {value:,} không được âm.",
        "en": "{where}: the number {value:,} may not be negative.",
    },
    "fact_count_large": {
        "vi": "{where}: số {value:,} quá lớn; tối đa {limit:,}.",
        "en": "{where}: the number {value:,} is too large; at most {limit:,}.",
    },
    "fact_number_invalid": {
        "vi": "{where}: '{value}' không phải số (ví dụ 82,5 hoặc 82.5).",
        "en": "{where}: '{value}' is not a number (e.g. 82.5 or 82,5).",
    },
    "fact_number_negative": {
        "vi": "{where}: số '{value}' không được âm.",
        "en": "{where}: the number '{value}' may not be negative.",
    },
    "fact_number_large": {
        "vi": "{where}: số '{value}' quá lớn; tối đa {limit:,}.",
        "en": "{where}: the number '{value}' is too large; at most {limit:,}.",
    },
    "fact_cf_before_rule": {
        "vi": "{where}: đợt trước {since} không chấm 13 tiêu chí của Quyết định "
        "06/QĐ-TTg ngày 3/1/2019 của Thủ tướng Chính phủ; nhập đợt đó bằng lệnh "
        "record-assessment.",
        "en": "{where}: a round before {since} is not scored on the 13 criteria "
        "of Decision 06/QD-TTg of 3 January 2019 of the Prime Minister; record "
        "it with the record-assessment command.",
    },
    "fact_cf_decision_pair": {
        "vi": "{where}: chưa nhập; số quyết định và ngày quyết định ghi cùng nhau "
        "(hoặc để trống cả hai khi chưa có quyết định).",
        "en": "{where}: empty; the decision's number and date go together (or "
        "both stay empty before the decision).",
    },
    "fact_cf_decided_before_round": {
        "vi": "{where}: ngày quyết định {day} trước ngày đánh giá {round}.",
        "en": "{where}: the decision's date {day} is before the round {round}.",
    },
    "fact_cf_twice": {
        "vi": "{where}: đợt đánh giá ngày {day} của xã '{code}' đã có ở dòng {first}.",
        "en": "{where}: the round of {day} of the commune '{code}' is already on "
        "row {first}.",
    },
    "fact_cf_status_differs": {
        "vi": "{where}: tệp ghi kết quả '{stated}', quy tắc công nhận cho kết quả "
        "'{rule}' (tổng {total} điểm, ngưỡng {threshold}, tiêu chí 0 điểm: "
        "{zeros}). Kết quả do quy tắc quyết định: sửa hoặc xóa cột này.",
        "en": "{where}: the file states '{stated}', the recognition rule gives "
        "'{rule}' ({total} points, threshold {threshold}, criteria at 0: "
        "{zeros}). The rule decides: correct or delete this column.",
    },
    "fact_cf_threshold_differs": {
        "vi": "{where}: tệp ghi ngưỡng {stated} điểm, quy tắc cho ngưỡng {rule} "
        "điểm (đơn vị loại '{kind}'). Ngưỡng do quy tắc quyết định: sửa hoặc "
        "xóa cột này.",
        "en": "{where}: the file states a threshold of {stated} points, the rule "
        "gives {rule} (a unit of kind '{kind}'). The rule decides: correct or "
        "delete this column.",
    },
    "fact_indicator_twice": {
        "vi": "{where}: chỉ tiêu {indicator} của đơn vị '{code}' năm {year} đã có "
        "ở dòng {first}.",
        "en": "{where}: the indicator {indicator} of '{code}' for {year} is "
        "already on row {first}.",
    },
    "fact_indicator_unknown": {
        "vi": "{where}: không có chỉ tiêu mã '{code}' (có: {known}).",
        "en": "{where}: no indicator has the code '{code}' (there are: {known}).",
    },
    "fact_percent_large": {
        "vi": "{where}: {value} lớn hơn 100 nhưng chỉ tiêu {code} tính bằng phần trăm.",
        "en": "{where}: {value} is above 100, but {code} is a percentage.",
    },
    "fact_year_invalid": {
        "vi": "{where}: '{value}' không phải năm (ví dụ 2025).",
        "en": "{where}: '{value}' is not a year (e.g. 2025).",
    },
    "fact_year_range": {
        "vi": "{where}: năm {value} phải từ {first} đến {last}.",
        "en": "{where}: the year {value} must lie between {first} and {last}.",
    },
    "fact_amount_invalid": {
        "vi": "{where}: '{value}' không phải số đồng nguyên (ví dụ 1500000 hoặc "
        "1.500.000).",
        "en": "{where}: '{value}' is not a whole number of đồng (e.g. 1500000 or "
        "1,500,000).",
    },
    "fact_amount_negative": {
        "vi": "{where}: số tiền {value:,} không được âm.",
        "en": "{where}: the amount {value:,} may not be negative.",
    },
    "fact_amount_positive": {
        "vi": "{where}: số tiền {value:,} phải lớn hơn 0.",
        "en": "{where}: the amount {value:,} must be more than 0.",
    },
    "fact_amount_large": {
        "vi": "{where}: số tiền {value:,} đồng quá lớn; tối đa {limit:,} đồng.",
        "en": "{where}: the amount {value:,} đồng is too large; at most {limit:,}.",
    },
    "fact_giver_missing": {
        "vi": "{where}: nguồn '{transfer}' phải ghi mã đơn vị đã chuyển tiền.",
        "en": "{where}: a source '{transfer}' needs the code of the unit whose "
        "fund handed the money.",
    },
    "fact_giver_not_transfer": {
        "vi": "{where}: chỉ ghi đơn vị chuyển khi nguồn là '{transfer}'; để trống "
        "với nguồn khác.",
        "en": "{where}: a giving unit only for the source '{transfer}'; leave it "
        "empty for other sources.",
    },
    "fact_giver_itself": {
        "vi": "{where}: đơn vị chuyển '{code}' phải khác đơn vị nhận.",
        "en": "{where}: the giving unit '{code}' must not be the receiving unit.",
    },
    "fact_date_invalid": {
        "vi": "{where}: '{value}' không phải ngày (ghi ngày/tháng/năm, ví dụ "
        "15/03/2024).",
        "en": "{where}: '{value}' is not a date (write day/month/year, e.g. "
        "15/03/2024).",
    },
    "fact_date_range": {
        "vi": "{where}: ngày {value} phải từ {first} đến hôm nay ({last}).",
        "en": "{where}: the date {value} must lie between {first} and today ({last}).",
    },
    "fact_code_invalid": {
        "vi": "{where}: '{value}' không có trong danh mục ({choices}).",
        "en": "{where}: '{value}' is not in the list ({choices}).",
    },
    "fact_type_category": {
        "vi": "{where}: hình thức '{value}' không thuộc loại vụ việc đã chọn.",
        "en": "{where}: the type '{value}' does not belong to the category given.",
    },
    "fact_abuse_only": {
        "vi": "{where}: chỉ ghi với vụ xâm hại; để trống với tai nạn thương tích.",
        "en": "{where}: for abuse cases only; leave it empty for injuries.",
    },
    "fact_injury_only": {
        "vi": "{where}: chỉ ghi với tai nạn thương tích; để trống với vụ xâm hại.",
        "en": "{where}: for injuries only; leave it empty for abuse cases.",
    },
    "fact_unit_unknown": {
        "vi": "{where}: không có đơn vị mã '{code}'.",
        "en": "{where}: no unit has the code '{code}'.",
    },
    "fact_unit_level": {
        "vi": "{where}: mã '{code}' là đơn vị cấp {level}, cần mã {need}.",
        "en": "{where}: '{code}' is a {level}; {need} is needed.",
    },
    "fact_need_commune": {"vi": "cấp xã", "en": "a commune code"},
    "fact_need_unit": {
        "vi": "cấp tỉnh, huyện hoặc xã",
        "en": "a province, district or commune code",
    },
    "fact_word_commune": {"vi": "xã", "en": "commune"},
    "fact_word_unit": {"vi": "đơn vị", "en": "unit"},
    "fact_unit_not_valid": {
        "vi": "{where}: {what} mã '{code}' không tồn tại vào ngày {date} (hiệu lực "
        "{valid}); từ 01/07/2025 dùng mã {what} mới.",
        "en": "{where}: the {what} '{code}' did not exist on {date} (valid "
        "{valid}); from 1 July 2025 use the new {what} codes.",
    },
    "fact_unit_not_valid_year": {
        "vi": "{where}: {what} mã '{code}' không tồn tại trong năm {year} (hiệu "
        "lực {valid}).",
        "en": "{where}: the {what} '{code}' did not exist in {year} (valid {valid}).",
    },
    "fact_unit_outside": {
        "vi": "{where}: {what} '{code}' ({name}) ngoài phạm vi của tài khoản.",
        "en": "{where}: the {what} '{code}' ({name}) is outside your area.",
    },
    # the command line's summary
    "fact_progress": {
        "vi": "Đã đọc {rows:,} dòng…",
        "en": "{rows:,} rows read…",
    },
    "fact_summary": {
        "vi": "Tệp {file}: {rows:,} dòng; mới {new:,}, sửa {updated:,}, không đổi "
        "{unchanged:,}, bị từ chối {refused:,}.",
        "en": "File {file}: {rows:,} rows; new {new:,}, updated {updated:,}, "
        "unchanged {unchanged:,}, refused {refused:,}.",
    },
    "fact_summary_commune": {
        "vi": "  {code} {name}: {before:,} → {after:,} vụ việc",
        "en": "  {code} {name}: {before:,} → {after:,} cases",
    },
    "fact_summary_figure": {
        "vi": "  {code} {name}{year}: {before} → {after}",
        "en": "  {code} {name}{year}: {before} → {after}",
    },
    "fact_summary_dong": {
        "vi": "  {code} {name}{year}: {before} → {after}",
        "en": "  {code} {name}{year}: {before} → {after}",
    },
    # what the rows of a kind are, in a sentence
    "fact_rows_incidents": {"vi": "vụ việc", "en": "cases"},
    "fact_rows_fund_targets": {"vi": "chỉ tiêu", "en": "targets"},
    "fact_rows_fund_bookings": {"vi": "khoản vận động", "en": "bookings"},
    "fact_rows_cf_assessments": {
        "vi": "kết quả đánh giá",
        "en": "assessments",
    },
    "fact_rows_indicator_targets": {
        "vi": "mức chỉ tiêu",
        "en": "plan targets",
    },
    "fact_rows_indicator_values": {
        "vi": "kết quả chỉ tiêu",
        "en": "indicator values",
    },
    "fact_rows_children": {
        "vi": "số trẻ em",
        "en": "children figures",
    },
    # how a row of a kind is named in the list of updates
    "import_ref_incidents": {"vi": "vụ", "en": "case"},
    "import_ref_fund_targets": {"vi": "năm", "en": "year"},
    "import_ref_fund_bookings": {"vi": "khoản", "en": "booking"},
    "import_ref_children": {"vi": "năm", "en": "year"},
    "import_ref_cf_assessments": {"vi": "đợt", "en": "round"},
    "import_ref_indicator_targets": {"vi": "chỉ tiêu", "en": "indicator"},
    "import_ref_indicator_values": {"vi": "chỉ tiêu", "en": "indicator"},
    "fact_problems": {
        "vi": "Có {n:,} lỗi:",
        "en": "{n:,} problems:",
    },
    "fact_more_problems": {
        "vi": "… và {n:,} lỗi nữa.",
        "en": "… and {n:,} more problems.",
    },
    "fact_nothing_written": {
        "vi": "Chưa ghi gì vào cơ sở dữ liệu.",
        "en": "Nothing was written.",
    },
    "fact_dry_run": {
        "vi": "Chạy thử: chưa ghi gì. Thêm --apply để ghi.",
        "en": "Dry run: nothing written. Add --apply to write.",
    },
    "fact_written": {
        "vi": "Đã ghi: {new:,} {what} mới, {updated:,} {what} sửa.",
        "en": "Written: {new:,} new {what}, {updated:,} updated.",
    },
    "fact_restated": {
        "vi": "Đợt {round} của xã {code} đã lưu được tính lại theo đợt trước nó "
        "vừa ghi: {before} → {after}.",
        "en": "The stored round of {round} of commune {code} restated by the "
        "round before it just written: {before} → {after}.",
    },
    "fact_export_protected": {
        "vi": "Tài khoản vai trò '{role}' không được tải từng dòng {what}: từng "
        'dòng cho biết số ca mà bản đồ của tài khoản chỉ hiện dưới dạng "<5". '
        "Chỉ quản trị và cấp tỉnh tải được loại này; cấp huyện tải được quỹ, số "
        "trẻ em, đánh giá xã phù hợp với trẻ em và chỉ tiêu kế hoạch.",
        "en": "An account with the role '{role}' may not download {what} row by "
        'row: the rows would tell the case counts its map shows only as "<5". '
        "Only admins and the province download this kind; a district downloads "
        "the fund, children, child-friendly assessments and plan targets.",
    },
    "fact_export_too_many": {
        "vi": "Có {rows:,} dòng, nhiều hơn một tệp nhập được ({limit:,}): tải "
        "từng năm một (export-facts --year).",
        "en": "There are {rows:,} rows, more than one file may hold ({limit:,}): "
        "download one year at a time (export-facts --year).",
    },
    "fact_export_written": {
        "vi": "Đã ghi {n:,} {what} vào {path} (theo mẫu nhập; sửa rồi nhập lại "
        "bằng import-facts).",
        "en": "Wrote {n:,} {what} to {path} (in the import's form; edit it and "
        "import it back with import-facts).",
    },
    "fact_export_left_out": {
        "vi": "{n:,} dòng đã lưu không theo mẫu nhập nên không được tải: vụ việc "
        "hay khoản vận động không có mã (số liệu tạo sẵn), đánh giá theo quy định "
        "cũ, thiếu điểm, quyết định thiếu số hoặc ghi bằng lệnh record-assessment.",
        "en": "{n:,} stored rows are not in the import's form and were left out: "
        "cases or bookings without a reference (generated data), assessments "
        "under older rules, without their scores, a decision without its number "
        "or recorded with record-assessment.",
    },
    "fact_restates": {
        "vi": "Đợt {round} của xã {code} đã lưu sẽ được tính lại theo đợt trước "
        "nó trong tệp: {before} → {after}.",
        "en": "The stored round of {round} of commune {code} would be restated "
        "by the round before it in the file: {before} → {after}.",
    },
    "fact_no_change": {
        "vi": "Không có gì thay đổi: mọi {what} đã có sẵn như trong tệp.",
        "en": "Nothing changed: the file's {what} are stored as it has them.",
    },
    "fact_template_written": {
        "vi": "Đã ghi biểu mẫu {path} ({n:,} đơn vị trong danh sách).",
        "en": "Template written to {path} ({n:,} units listed).",
    },
    # the page "Nhập số liệu" (/import)
    "import_link": {"vi": "Nhập số liệu", "en": "Import data"},
    "import_title": {
        "vi": "Nhập số liệu của tỉnh",
        "en": "Import the province's own data",
    },
    "import_intro": {
        "vi": "Tải biểu mẫu, điền số liệu của đơn vị (không ghi họ tên, ngày sinh, "
        "địa chỉ hay số giấy tờ của trẻ em), rồi tải tệp lên. Mọi dòng được kiểm "
        "tra trước; bạn xem những gì sẽ thay đổi và xác nhận thì mới ghi, ghi "
        "trọn vẹn hoặc không ghi gì.",
        "en": "Download the template, fill in your unit's records (no child's name, "
        "birth date, address or identity number), then upload the file. Every "
        "row is checked first; you see what would change and nothing is written "
        "until you confirm, and then all of it or nothing.",
    },
    "import_not_allowed": {
        "vi": "Tài khoản của bạn không nhập số liệu: chỉ quản trị, cấp tỉnh và "
        "cấp huyện (cho các xã của huyện) được nhập.",
        "en": "Your account does not import data: only administrators, the "
        "province and district offices (for their communes) do.",
    },
    "import_kind": {"vi": "Loại số liệu", "en": "Kind of data"},
    "import_kind_incidents": {
        "vi": "Vụ việc xâm hại, tai nạn thương tích (từng vụ, không tên)",
        "en": "Abuse and injury cases (one row per case, anonymous)",
    },
    "import_kind_fund_targets": {
        "vi": "Chỉ tiêu vận động Quỹ bảo trợ trẻ em (theo đơn vị và năm)",
        "en": "Child protection fund targets (per unit and year)",
    },
    "import_kind_fund_bookings": {
        "vi": "Các khoản vận động Quỹ bảo trợ trẻ em (từng khoản)",
        "en": "Child protection fund bookings (one row per booking)",
    },
    "import_kind_children": {
        "vi": "Số trẻ em dưới 16 tuổi (theo đơn vị và năm)",
        "en": "Children under 16 (per unit and year)",
    },
    "import_kind_cf_assessments": {
        "vi": "Đánh giá xã, phường, thị trấn phù hợp với trẻ em (13 tiêu chí)",
        "en": "Child-friendly commune assessments (13 criteria)",
    },
    "import_kind_indicator_targets": {
        "vi": "Chỉ tiêu kế hoạch (mức phải đạt, theo đơn vị và năm)",
        "en": "Plan targets (per unit, indicator and year)",
    },
    "import_kind_indicator_values": {
        "vi": "Kết quả thực hiện chỉ tiêu kế hoạch (theo đơn vị và năm)",
        "en": "Plan indicator values (per unit, indicator and year)",
    },
    "import_template_xlsx": {
        "vi": "Tải biểu mẫu Excel",
        "en": "Download the Excel template",
    },
    "import_export_title": {
        "vi": "Tải dữ liệu hiện có",
        "en": "Download the stored data",
    },
    "import_export_xlsx": {
        "vi": "Tải dữ liệu hiện có (Excel)",
        "en": "Download the stored rows (Excel)",
    },
    "import_export_csv": {
        "vi": "Tải dữ liệu hiện có (CSV)",
        "en": "Download the stored rows (CSV)",
    },
    "import_export_note": {
        "vi": "Các dòng đã lưu của phạm vi tài khoản, đúng theo mẫu nhập: sửa rồi "
        "nhập lại tệp này; dòng không sửa được giữ nguyên.",
        "en": "The stored rows of your area, in the import's own form: edit the "
        "file and import it back; rows left as they are stay unchanged.",
    },
    "import_template_csv": {
        "vi": "Tải biểu mẫu CSV",
        "en": "Download the CSV template",
    },
    "import_upload": {
        "vi": "Kéo thả hoặc bấm để chọn tệp đã điền (.xlsx hoặc .csv, tối đa {mb} MB)",
        "en": "Drop or click to choose the filled file (.xlsx or .csv, up to {mb} MB)",
    },
    "import_large_files": {
        "vi": "Tệp lớn hơn (đến 2.000.000 dòng): gửi ở trang tệp lớn — tệp được "
        "kiểm tra và nhập ở chế độ nền, trang này theo dõi tiến độ; hoặc dùng lệnh "
        "import-facts (xem tài liệu quản trị).",
        "en": "Larger files (up to 2,000,000 rows): send them on the large-file "
        "page — the file is checked and imported in the background and this page "
        "follows its progress; or use the import-facts command (see the "
        "administration guide).",
    },
    "tables_reimport_note": {
        "vi": "Bảng này là số tổng hợp. Các bản ghi của nó, đúng theo mẫu nhập để "
        "sửa rồi nhập lại:",
        "en": "This table holds totals. Its records, in the import's form, to "
        "correct and import back:",
    },
    "tables_reimport": {
        "vi": "Nhập số liệu – tải dữ liệu hiện có",
        "en": "Import data – download the stored rows",
    },
    "import_export_all_years": {"vi": "Mọi năm", "en": "All years"},
    "import_export_year": {"vi": "Năm", "en": "Year"},
    "import_large_link": {
        "vi": "Gửi tệp lớn",
        "en": "Send a large file",
    },
    "import_large_title": {
        "vi": "Nhập số liệu: tệp lớn",
        "en": "Import data: a large file",
    },
    "import_large_intro": {
        "vi": "Tệp CSV hoặc Excel theo biểu mẫu nhập liệu, đến {rows:,} dòng và "
        "{mb:,} MB. Tệp được lưu trên máy chủ và kiểm tra ở chế độ nền; chưa dòng "
        "nào được ghi cho đến khi bạn xác nhận ở trang Nhập số liệu.",
        "en": "A CSV or Excel file in the import template's form, up to {rows:,} "
        "rows and {mb:,} MB. It is kept on the server and checked in the "
        "background; no row is written until you confirm on the import page.",
    },
    "import_large_file": {"vi": "Tệp", "en": "File"},
    "import_large_submit": {"vi": "Gửi và kiểm tra", "en": "Send and check"},
    "import_large_back": {"vi": "Quay lại", "en": "Back"},
    "import_large_no_file": {
        "vi": "Chưa chọn tệp hoặc loại số liệu không hợp lệ.",
        "en": "No file chosen, or the kind of data is not valid.",
    },
    "import_job_waiting": {
        "vi": "Tệp {file}: đang chờ đến lượt…",
        "en": "File {file}: waiting for its turn…",
    },
    "import_job_checking": {
        "vi": "Đang kiểm tra tệp {file}: đã đọc {rows:,} dòng…",
        "en": "Checking the file {file}: {rows:,} rows read…",
    },
    "import_job_importing": {
        "vi": "Đang nhập tệp {file}: đã đọc {rows:,} / {total:,} dòng…",
        "en": "Importing the file {file}: {rows:,} / {total:,} rows read…",
    },
    "import_job_cancel": {"vi": "Hủy", "en": "Cancel"},
    "import_job_cancelled": {
        "vi": "Đã hủy; chưa có gì được ghi.",
        "en": "Cancelled; nothing was written.",
    },
    "import_job_failed": {
        "vi": "Không xử lý được tệp {file} ({error}); chưa có gì được ghi.",
        "en": "The file {file} could not be processed ({error}); nothing was written.",
    },
    "import_checked": {
        "vi": "Đã kiểm tra tệp {file}: chưa ghi gì.",
        "en": "Checked {file}: nothing written yet.",
    },
    "import_count_rows": {"vi": "Số dòng", "en": "Rows"},
    "import_count_new": {"vi": "Mới", "en": "New"},
    "import_count_updated": {"vi": "Sửa", "en": "Updated"},
    "import_count_unchanged": {"vi": "Không đổi", "en": "Unchanged"},
    "import_count_refused": {"vi": "Bị từ chối", "en": "Refused"},
    "import_col_commune": {"vi": "Xã", "en": "Commune"},
    "import_col_unit": {"vi": "Đơn vị", "en": "Unit"},
    "import_col_before": {"vi": "Hiện có", "en": "Now"},
    "import_col_after": {"vi": "Sau khi nhập", "en": "After the import"},
    "import_units_incidents": {
        "vi": "Số vụ việc theo xã, trước và sau khi nhập",
        "en": "Cases per commune, before and after the import",
    },
    "import_units_fund_targets": {
        "vi": "Chỉ tiêu theo đơn vị và năm, trước và sau khi nhập",
        "en": "Targets per unit and year, before and after the import",
    },
    "import_units_fund_bookings": {
        "vi": "Tổng các khoản vận động theo đơn vị, trước và sau khi nhập",
        "en": "Bookings in total per unit, before and after the import",
    },
    "import_units_children": {
        "vi": "Số trẻ em dưới 16 tuổi theo đơn vị và năm, trước và sau khi nhập",
        "en": "Children under 16 per unit and year, before and after the import",
    },
    "import_units_cf_assessments": {
        "vi": "Tổng điểm theo xã và đợt đánh giá, trước và sau khi nhập (kết quả "
        "theo quy tắc công nhận)",
        "en": "Total points per commune and round, before and after the import "
        "(the outcome by the recognition rule)",
    },
    "import_units_indicator_targets": {
        "vi": "Mức chỉ tiêu theo đơn vị, chỉ tiêu và năm, trước và sau khi nhập",
        "en": "Targets per unit, indicator and year, before and after the import",
    },
    "import_units_indicator_values": {
        "vi": "Kết quả theo đơn vị, chỉ tiêu và năm, trước và sau khi nhập",
        "en": "Values per unit, indicator and year, before and after the import",
    },
    "import_more_communes": {
        "vi": "… và {n:,} xã nữa.",
        "en": "… and {n:,} more communes.",
    },
    "import_more_units": {
        "vi": "… và {n:,} đơn vị nữa.",
        "en": "… and {n:,} more units.",
    },
    "import_changes": {
        "vi": "Dòng sẽ được sửa (trước → sau)",
        "en": "Rows to be updated (before → after)",
    },
    "import_change": {
        "vi": "Dòng {row}, {what} {ref} ({unit}): {fields}",
        "en": "Row {row}, {what} {ref} ({unit}): {fields}",
    },
    "import_confirm": {
        "vi": "Xác nhận nhập {n:,} dòng",
        "en": "Confirm: import {n:,} rows",
    },
    "import_nothing_to_do": {
        "vi": "Không có gì thay đổi: mọi {what} đã có sẵn như trong tệp.",
        "en": "Nothing to change: the file's {what} are stored as it has them.",
    },
    "import_file_changed": {
        "vi": "Tệp đã khác tệp vừa kiểm tra: hãy tải lên lại.",
        "en": "The file is not the one just checked: upload it again.",
    },
    "import_done": {
        "vi": "Đã ghi: {new:,} {what} mới, {updated:,} {what} sửa. Bản đồ, "
        "xếp hạng và bảng số liệu đã dùng số liệu mới.",
        "en": "Written: {new:,} new {what}, {updated:,} updated. The map, the "
        "ranking and the tables now use them.",
    },
    "import_count_accepted": {"vi": "Hợp lệ", "en": "Accepted"},
    "import_restricted_note": {
        "vi": "Tài khoản của bạn không xem số vụ việc đã có trong cơ sở dữ liệu "
        "(quy tắc bảo vệ số liệu nhỏ): trang chỉ nói về các dòng của tệp.",
        "en": "Your account does not see the cases already stored (the rule that "
        "protects small counts): the page speaks of the file's rows only.",
    },
    "import_done_rows": {
        "vi": "Đã nhập {n:,} dòng hợp lệ của tệp.",
        "en": "Imported the file's {n:,} accepted rows.",
    },
}
