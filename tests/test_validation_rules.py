"""Validation rules of submitted reports (data/validation.py): the rule file is
checked when loaded (a cell the template does not have, a bad operator, a
duplicate id: refused naming the rule), a report is checked against the active
rules (an error refuses it and writes nothing, a warning needs the submitter's
explanation, stored with the version), on both backends; the reports page shows
the warnings, takes the explanation, and the approver's queue lists them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func, select, text

from callbacks import reports_page as callbacks
from data import approvals, audit, calendar, report_forms, submissions, validation
from data.children import YearChildren, set_children
from data.db import make_engine, transaction
from data.models import (
    ReportFigure,
    ReportFile,
    ReportSubmission,
    ValidationRuleSet,
)
from data.report_forms import Figures, FormError
from data.scope import Scope
from data.validation import RulesError
from layouts import ids
from tests.conftest import post_callback, seeded_copy, signed_client
from tests.test_approval_page import _open, _page, _report
from tests.test_reports_page import _upload

CHILDREN = 1_000  # the commune's children under 16 in 2024, in the DB tests

GOOD = """
[[rule]]
id = "staff_few"
name_vi = "Cán bộ được tập huấn không quá 5 người"
name_en = "At most 5 staff trained"
left = "staff_trained"
op = "≤"
right = "5"
importance = "error"

[[rule]]
id = "cash_against_kind"
name_vi = "Tiền mặt ít nhất gấp đôi hiện vật"
name_en = "Cash at least twice in kind"
left = "fund.cash"
op = ">="
right = "2 * fund.in_kind"
importance = "warning"
"""


def rule(**fields: str) -> str:
    """One [[rule]] table with good fields, ``fields`` replacing them."""
    base = {
        "id": "r",
        "name_vi": "Quy tắc",
        "name_en": "Rule",
        "left": "groups.ORPHAN",
        "op": "<=",
        "right": "children_u16",
        "importance": "error",
        **fields,
    }
    lines = [
        f"{key} = {json.dumps(value, ensure_ascii=False)}"
        for key, value in base.items()
    ]
    return "[[rule]]\n" + "\n".join(lines) + "\n"


def refused(text_: str) -> list[str]:
    with pytest.raises(RulesError) as caught:
        validation.parse(text_)
    return caught.value.problems


# --- the rule file ------------------------------------------------------------------


def test_the_built_in_rules_load_and_name_only_cells_of_the_template() -> None:
    rules = validation.read()
    assert len(rules) >= 10
    assert {r.importance for r in rules} == {"error", "warning"}
    known = set(validation.cell_names()) | {validation.CHILDREN}
    assert all(set(r.cells) <= known for r in rules)
    by_id = {r.id: r for r in rules}
    assert by_id["group_within_children"].importance == "error"
    assert by_id["sexual_abuse_within_group"].right.cells == ("groups.SEX_ABUSE",)
    # the template's 14 groups, 21 case rows x 6, 3 fund kinds, 3 activities x 2
    assert len(validation.cell_names()) == 14 + 21 * 6 + 3 + 3 * 2 + 1


def test_a_good_file_parses_with_every_spelling_of_an_operator() -> None:
    rules = validation.parse(GOOD)
    assert [(r.id, r.op, r.importance) for r in rules] == [
        ("staff_few", "<=", "error"),
        ("cash_against_kind", ">=", "warning"),
    ]
    for spelled, op in (("≥", ">="), ("==", "="), ("≠", "!="), ("<", "<")):
        assert validation.parse(rule(op=spelled))[0].op == op


def test_a_rule_naming_a_cell_the_template_does_not_have_is_refused() -> None:
    text_ = GOOD + rule(id="supported_within_group", left="groups.ORPHAN.supported")
    problems = refused(text_)
    assert len(problems) == 1
    assert problems[0].startswith("rule 3 (supported_within_group): left")
    assert "'groups.ORPHAN.supported'" in problems[0]
    # fatal injuries: a pattern matching no cell of the form
    problems = refused(rule(id="fatal", left="cases.injury.*.fatal.*"))
    assert problems[0].startswith("rule 1 (fatal)") and "no pattern" in problems[0]
    assert "rule 1 (x)" in refused(rule(id="x", right="fund.TOTAL"))[0]


def test_a_bad_operator_or_importance_is_refused_naming_the_rule() -> None:
    problems = refused(GOOD + rule(id="odd", op="=<", importance="info"))
    assert len(problems) == 2
    assert all(p.startswith("rule 3 (odd): ") for p in problems)
    assert "op '=<' is not an operator" in problems[0]
    assert "importance 'info'" in problems[1]


def test_a_duplicate_id_is_refused_naming_both_rules() -> None:
    problems = refused(GOOD + rule(id="staff_few"))
    assert problems == ["rule 3 (staff_few): the id is taken by rule 1"]


@pytest.mark.parametrize(
    ("text_", "said"),
    [
        (rule(colour="red"), "rule 1 (r): unknown field 'colour'"),
        (rule(importance=""), "rule 1 (r): importance is missing"),
        (rule(id="Bad Id"), "rule 1 (Bad Id): id 'Bad Id' is not lower-case"),
        (rule(left="max(groups.*"), "')' expected, found the end"),
        (rule(left="groups.ORPHAN groups.HIV"), "'+' or '-' expected"),
        (rule(left="1 + 2", right="3"), "rule 1 (r): it names no cell"),
        ("[calendar]\nx = 1\n", "unknown section 'calendar'"),
        ("[[rule]\n", "not a TOML file"),
    ],
)
def test_every_other_problem_is_named(text_: str, said: str) -> None:
    assert any(said in p for p in refused(text_)), refused(text_)


def test_sides_add_subtract_multiply_and_take_the_largest() -> None:
    values = dict.fromkeys(validation.cell_names(), 0)
    values |= {"fund.cash": 10, "fund.in_kind": 3, "groups.HIV": 7, "groups.DRUG": 9}
    assert validation.side("2 * fund.cash - fund.in_kind + 3").value(values) == (
        20,
        None,
    )
    assert validation.side("-fund.in_kind + fund.*").value(values) == (10, None)
    assert validation.side("max(groups.*)").value(values) == (9, "groups.DRUG")
    assert validation.side("min(groups.*)").value(values)[0] == 0


# --- checking figures ---------------------------------------------------------------


def test_evaluation_names_the_rule_the_values_and_the_cell() -> None:
    rules = validation.read()
    figures = Figures(
        groups={"DISABLED": 1_200, "SEX_ABUSE": 1},
        cases={("abuse", "AB_SEX", "F", "11_15"): 3},
    )
    broken = {v.rule.id: v for v in validation.evaluate(rules, figures, 1_000)}
    assert set(broken) == {
        "group_within_children",
        "groups_total_within_children",
        "sexual_abuse_within_group",
    }
    error = broken["group_within_children"]
    assert (error.importance, error.left, error.right) == ("error", 1_200, 1_000)
    said = error.problem().text("vi")
    assert "Không đạt quy tắc «Số trẻ em của mỗi nhóm" in said
    assert "1.200 ≤ 1.000 là sai" in said and "ô C7" in said  # d) disabled
    assert "1,200 ≤ 1,000 is false" in error.problem().text("en")
    warning = broken["sexual_abuse_within_group"]
    assert (warning.importance, warning.left, warning.right) == ("warning", 3, 1)
    assert warning.problem().text("vi").startswith("Cảnh báo — quy tắc")
    assert warning.record()["abuse"] is True
    # the groups in all count the abused children of groups b, i, k, l and m too
    assert broken["groups_total_within_children"].record()["abuse"] is True
    injuries = Figures(cases={("injury", "INJ_FALL", "M", "0_5"): 1_001})
    (fall,) = [
        v
        for v in validation.evaluate(rules, injuries, 1_000)
        if v.rule.id == "injury_within_children"
    ]
    assert fall.record()["abuse"] is False
    # without the unit's children the rules naming them are not checked
    unknown = validation.evaluate(rules, figures, None)
    assert [v.rule.id for v in unknown] == ["sexual_abuse_within_group"]
    assert validation.evaluate(rules, Figures(), 0) == []


# --- a report checked on submission (both backends) ---------------------------------


@pytest.fixture
def reporting(gia_lai: Engine) -> Engine:
    """Gia Lai with the 2024 calendar and Thị trấn Chư Sê's children in 2024."""
    with transaction(gia_lai) as session:
        calendar.load(session, calendar.read(), [2024])
        unit = session.execute(
            text("SELECT id FROM admin_unit WHERE tree = 'legacy' AND code = '23941'")
        ).scalar_one()
        set_children(session, [YearChildren(unit, 2024, CHILDREN, "test")])
    return gia_lai


def _q1(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        due = submissions.find_owed(
            conn, unit_code="23941", tree="legacy", report_type="Q1", year=2024
        )
    return due.schedule_id, due.unit_id


def filled(template: bytes, cells: dict[str, int]) -> bytes:
    """The template with ``cells`` (named as the rules name them) filled in."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    for name, value in cells.items():
        sheet, row, col = validation.cell_names()[name]
        book[sheet].cell(row, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _report_file(engine: Engine, cells: dict[str, int]) -> bytes:
    schedule, unit = _q1(engine)
    with engine.connect() as conn:
        form = submissions.owed(conn, schedule, unit).form
    return filled(report_forms.template(form), cells)


def _stored(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(model)).scalar()
            for model in (ReportSubmission, ReportFile, ReportFigure)
        )


def _send(engine: Engine, data: bytes, explanation: str | None = None):
    schedule, unit = _q1(engine)
    return submissions.submit(
        engine,
        schedule_id=schedule,
        unit_id=unit,
        data=data,
        file_name="q1.xlsx",
        user_id=None,
        explanation=explanation,
    )


def _refusals(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = audit.rows(conn, action="report_refused")
    return [json.loads(r["detail"]) for r in rows]


def test_an_error_blocks_the_submission_and_writes_nothing(reporting: Engine) -> None:
    data = _report_file(reporting, {"groups.DISABLED": CHILDREN + 1})
    with pytest.raises(FormError) as caught:
        _send(reporting, data, explanation="the figure is right")
    assert len(caught.value.problems) == 1
    said = caught.value.problems[0]
    assert "Số trẻ em của mỗi nhóm hoàn cảnh đặc biệt" in said
    assert "1.001 ≤ 1.000 là sai" in said
    assert _stored(reporting) == (0, 0, 0)
    assert "1.001 ≤ 1.000" in _refusals(reporting)[0]["reason"][0]
    # the same figure within the children is taken
    _send(reporting, _report_file(reporting, {"groups.DISABLED": CHILDREN}))
    assert _stored(reporting)[0] == 1


def test_a_warning_needs_an_explanation_which_is_stored_with_the_version(
    reporting: Engine,
) -> None:
    data = _report_file(
        reporting, {"cases.abuse.AB_SEX.F.11_15": 2, "groups.SEX_ABUSE": 1}
    )
    for explanation in (None, "   ", "x" * (submissions.EXPLANATION_MAX + 1)):
        with pytest.raises(submissions.NeedsExplanation) as caught:
            _send(reporting, data, explanation)
        assert [w.rule.id for w in caught.value.warnings] == [
            "sexual_abuse_within_group"
        ]
        assert "2 ≤ 1 là sai" in caught.value.messages("vi")[0]
        assert _stored(reporting) == (0, 0, 0)
    assert caught.value.reason.code == "rules_explanation_too_long"
    assert len(_refusals(reporting)) == 3
    receipt = _send(reporting, data, "  Hai vụ của cùng một em.  ")
    assert (receipt.version, receipt.warnings) == (1, 1)
    schedule, unit = _q1(reporting)
    with reporting.connect() as conn:
        (version,) = submissions.history(conn, schedule, unit)
        sent = audit.rows(conn, action="report_submitted")
    assert version["warning_comment"] == "Hai vụ của cùng một em."
    assert version["rule_warnings"] == [
        {
            "rule": "sexual_abuse_within_group",
            "name": {
                "vi": "Số vụ xâm hại tình dục không vượt quá số trẻ em bị xâm hại "
                "tình dục (nhóm l)",
                "en": "Sexual abuse cases do not exceed the sexually abused "
                "children (group l)",
            },
            "left": 2,
            "op": "<=",
            "right": 1,
            "abuse": True,
        }
    ]
    assert json.loads(sent[0]["detail"])["warnings"] == ["sexual_abuse_within_group"]
    # a report without warnings keeps no explanation
    clean = _send(reporting, _report_file(reporting, {}), "nothing to explain")
    with reporting.connect() as conn:
        versions = submissions.history(conn, schedule, unit)
    assert clean.warnings == 0
    assert versions[-1]["warning_comment"] is None
    assert versions[-1]["rule_warnings"] == []


def test_the_schema_keeps_no_warning_without_its_explanation(reporting: Engine) -> None:
    _send(reporting, _report_file(reporting, {}))
    with pytest.raises(Exception, match="(?i)check|constraint"):
        with reporting.begin() as conn:
            conn.execute(text("UPDATE report_submission SET rule_warnings = '[]'"))


# --- loading a rule file (the command line, both backends) --------------------------


def _sets(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(ValidationRuleSet.file_name, ValidationRuleSet.rules).order_by(
                    ValidationRuleSet.id
                )
            )
        ]


def test_load_rules_installs_audits_and_the_rules_then_apply(
    reporting: Engine, gia_lai_cli, tmp_path: Path
) -> None:
    with reporting.connect() as conn:
        assert validation.active(conn).file_name == "rules.toml"  # the built-in
    path = tmp_path / "quy-tac.toml"
    path.write_text(GOOD, encoding="utf-8")
    checked = gia_lai_cli("load-rules", str(path), "--check")
    assert checked.exit_code == 0, checked.output
    assert "2 rules (1 errors, 1 warnings), all valid" in checked.output
    assert _sets(reporting) == []
    loaded = gia_lai_cli("load-rules", str(path))
    assert loaded.exit_code == 0, loaded.output
    assert "now active" in loaded.output
    assert _sets(reporting) == [("quy-tac.toml", 2)]
    again = gia_lai_cli("load-rules", str(path))
    assert "already active" in again.output and len(_sets(reporting)) == 1
    with reporting.connect() as conn:
        imports = [json.loads(r["detail"]) for r in audit.rows(conn, action="import")]
        assert validation.active(conn).sha256 == validation.digest(GOOD)
    loads = [d for d in imports if d.get("what") == "validation_rules"]
    assert [d["changed"] for d in loads] == [False, True]
    assert all(d["file"] == "quy-tac.toml" and d["os_user"] for d in loads)
    # the loaded rules apply, the built-in ones no longer do
    with pytest.raises(FormError, match="Cán bộ được tập huấn không quá 5 người"):
        _send(reporting, _report_file(reporting, {"staff_trained": 6}))
    _send(reporting, _report_file(reporting, {"groups.DISABLED": CHILDREN + 1}))
    # back to the built-in rules
    built_in = gia_lai_cli("load-rules")
    assert built_in.exit_code == 0 and _sets(reporting)[-1] == ("rules.toml", 10)


def test_a_bad_rule_file_is_refused_and_writes_nothing(
    reporting: Engine, gia_lai_cli, tmp_path: Path
) -> None:
    path = tmp_path / "sai.toml"
    path.write_text(
        GOOD + rule(id="fatal_within_injuries", left="cases.injury.*.*.fatal"),
        encoding="utf-8",
    )
    result = gia_lai_cli("load-rules", str(path))
    assert result.exit_code == 1
    assert "rule 3 (fatal_within_injuries): left" in result.output
    assert "Nothing was written." in result.output
    assert _sets(reporting) == []
    with reporting.connect() as conn:
        assert audit.rows(conn, action="import") == []


def test_submit_report_on_the_command_line_needs_an_explanation(
    reporting: Engine, gia_lai_cli, tmp_path: Path
) -> None:
    path = tmp_path / "q1.xlsx"
    path.write_bytes(
        _report_file(reporting, {"activities.MID_AUTUMN.children": CHILDREN + 5})
    )
    args = ["submit-report", str(path), "--unit", "23941", "--report", "Q1"]
    args += ["--year", "2024"]
    refused_ = gia_lai_cli(*args)
    assert refused_.exit_code == 1
    assert "1.005 ≤ 1.000 là sai" in refused_.output
    assert "--explanation" in refused_.output and _stored(reporting)[0] == 0
    taken = gia_lai_cli(*args, "--explanation", "Trẻ em xã bên cùng tham gia")
    assert taken.exit_code == 0, taken.output
    assert "explanation of 1 warnings" in taken.output
    assert _stored(reporting)[0] == 1


def test_a_stored_set_that_no_longer_fits_falls_back_on_the_built_in(
    reporting: Engine, caplog
) -> None:
    with transaction(reporting) as session:
        validation.install(session, GOOD, "quy-tac.toml")
        session.execute(
            text("UPDATE validation_rule_set SET content = :c"),
            {"c": GOOD.replace("staff_trained", "staff.trained")},
        )
    with reporting.connect() as conn:
        found = validation.active(conn)
    assert found.file_name == "rules.toml" and len(found.rules) == 10
    assert "no longer fit the template" in caplog.text


# --- the reports page ---------------------------------------------------------------


@pytest.fixture(scope="module")
def own_db(pristine_sqlite, tmp_path_factory) -> dict:
    """A seeded database of its own: these tests submit reports into it."""
    return seeded_copy(pristine_sqlite, tmp_path_factory.mktemp("rules"))


@pytest.fixture
def app(own_db, make_app):
    return make_app(own_db)


def _versions(conf: dict) -> int:
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(ReportSubmission)).scalar()
    engine.dispose()
    return n


def _text(node) -> str:
    return json.dumps(node, ensure_ascii=False)


def _waiting(conf: dict, scope: Scope) -> list[dict]:
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        found = approvals.waiting(conn, scope)
    engine.dispose()
    return found


SHOW = [
    (ids.REPORT_TEMPLATE, "href"),
    (ids.REPORT_TEMPLATE, "className"),
    (ids.REPORT_UPLOAD, "disabled"),
    (ids.REPORT_DEADLINE, "children"),
    (ids.REPORT_HISTORY, "children"),
]


def test_the_page_refuses_an_error_and_shows_warnings_with_the_explanation_box(
    app, own_db
) -> None:
    row = _report(own_db, "23944")  # Ia Tiêm, signed off by the district
    _open(own_db, row)
    choice = f"{row['schedule_id']}:{row['unit_id']}"
    client = signed_client(app, "district")
    template = client.get(
        f"/reports/template/{row['schedule_id']}/{row['unit_id']}.xlsx"
    ).data
    before = _versions(own_db)
    error = _upload(client, choice, filled(template, {"groups.HIV": 9_999_999}))
    said = _text(error[ids.REPORT_RESULT, "children"])
    assert "Chưa nhận báo cáo" in said and "Không đạt quy tắc" in said
    assert "9.999.999 ≤" in said
    assert error[ids.REPORT_EXPLAIN, "hidden"] is True
    assert _versions(own_db) == before

    warned = filled(
        template,
        {
            "cases.abuse.AB_SEX.F.11_15": 2,
            "activities.ACTION_MONTH.children": 9_999_999,
        },
    )
    first = _upload(client, choice, warned)
    said = _text(first[ids.REPORT_RESULT, "children"])
    assert "tệp có 2 cảnh báo" in said and "2 ≤ 0 là sai" in said
    assert first[ids.REPORT_EXPLAIN, "hidden"] is False
    assert _versions(own_db) == before
    empty = _upload(client, choice, warned, explanation=" ")
    said = _text(empty[ids.REPORT_RESULT, "children"])
    assert "chỉ được nhận kèm giải trình" in said
    assert _versions(own_db) == before

    sent = _upload(client, choice, warned, explanation="Hai em cùng một vụ.")
    said = _text(sent[ids.REPORT_RESULT, "children"])
    assert "Đã nhận báo cáo" in said and "giải trình của 2 cảnh báo" in said
    assert sent[ids.REPORT_EXPLAIN, "hidden"] is True
    assert sent[ids.REPORT_EXPLANATION, "value"] == ""
    assert _versions(own_db) == before + 1
    history = _text(sent[ids.REPORT_HISTORY, "children"])
    assert "Hai em cùng một vụ." in history
    # the district sees no abuse figure: the rule's name only
    assert "Số vụ xâm hại tình dục" in history and "2 ≤ 0" not in history
    assert "9.999.999 ≤" in history  # the activity's children are no abuse figure

    district = _page(app, "district")
    assert "Hai em cùng một vụ." in district
    assert "không hiển thị với vai trò này" in district
    assert "2 ≤ 0" not in district and "9.999.999 ≤" in district


def test_the_province_sees_the_values_of_a_warning_on_abuse(app, own_db) -> None:
    row = _report(own_db, "633", "H1")  # the district's own: the province signs off
    _open(own_db, row)
    choice = f"{row['schedule_id']}:{row['unit_id']}"
    client = signed_client(app, "district")
    template = client.get(
        f"/reports/template/{row['schedule_id']}/{row['unit_id']}.xlsx"
    ).data
    data = filled(template, {"cases.abuse.AB_TRAF.M.6_10": 3})
    sent = _upload(client, choice, data, explanation="Một vụ ba em.")
    assert "Đã nhận báo cáo" in _text(sent[ids.REPORT_RESULT, "children"])
    assert "3 ≤ 0" not in _text(sent[ids.REPORT_HISTORY, "children"])

    def history(role: str) -> str:
        shown = post_callback(
            signed_client(app, role),
            SHOW,
            [(ids.REPORT_CHOICE, "value", choice)],
            [(ids.REPORT_LANG, "data", "vi")],
        )
        return _text(shown[ids.REPORT_HISTORY, "children"])

    assert "Một vụ ba em." in history("province")
    assert "3 ≤ 0 là sai" in history("province")
    assert "3 ≤ 0" not in history("district")
    # the approver's queue says the same
    province = Scope("province")
    waiting = next(
        r
        for r in _waiting(own_db, province)
        if r["schedule_id"] == row["schedule_id"] and r["unit_id"] == row["unit_id"]
    )
    assert waiting["warning_comment"] == "Một vụ ba em."
    records = validation.stored(waiting["rule_warnings"])
    assert callbacks.warning_lines(records, province, "en") == [
        "Warning — rule “Trafficking cases do not exceed the trafficked children "
        "(group m)”: 3 ≤ 0 is false"
    ]
    assert "3 ≤ 0" not in callbacks.warning_lines(records, Scope("district"), "en")[0]


def test_choosing_another_report_drops_the_kept_file(app, own_db) -> None:
    client = signed_client(app, "commune")
    answer = post_callback(
        client,
        [
            (ids.REPORT_EXPLAIN, "hidden"),
            (ids.REPORT_UPLOAD, "contents"),
            (ids.REPORT_RESULT, "children"),
        ],
        [(ids.REPORT_CHOICE, "value", "1:1")],
    )
    assert answer == {
        (ids.REPORT_EXPLAIN, "hidden"): True,
        (ids.REPORT_UPLOAD, "contents"): None,
        (ids.REPORT_RESULT, "children"): None,
    }
