"""The account commands of the command line, end to end on both backends."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine

from dashboard.cli import main
from data import audit, users
from data.db import transaction
from data.inventory import row_counts

PASSWORD = "mật-khẩu-dòng-lệnh-1"


@pytest.fixture
def run(gia_lai: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run the CLI on the ``gia_lai`` database; NEW_PASSWORD is set unless told."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv(
        "DATABASE_URL", gia_lai.url.render_as_string(hide_password=False)
    )
    monkeypatch.delenv("NEW_PASSWORD", raising=False)

    def invoke(*args: str, password: str | None = PASSWORD, **kwargs) -> Result:
        env = {"NEW_PASSWORD": password} if password is not None else {}
        return CliRunner().invoke(main, list(args), env=env, **kwargs)

    return invoke


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return row_counts(conn)


def account(engine: Engine, username: str) -> users.Account | None:
    with engine.connect() as conn:
        return users.get_account(conn, username=username)


def test_create_list_set_deactivate(run, gia_lai: Engine) -> None:
    made = run("create-user", "Admin1", "--role", "admin")
    assert made.exit_code == 0, made.output
    assert "admin1" in made.output
    district = run("create-user", "chuse", "--role", "district", "--unit", "633")
    assert district.exit_code == 0, district.output
    assert "633" in district.output
    commune = run("create-user", "xa.iaglai", "--role", "commune", "--unit", "23941")
    assert commune.exit_code == 0, commune.output
    assert account(gia_lai, "xa.iaglai").scope_code == "23941"
    assert account(gia_lai, "chuse").scope_level == "district"

    listed = run("list-users")
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].split() == ["username", "role", "unit", "active", "locked"]
    assert [line.split()[0] for line in lines[1:]] == ["admin1", "chuse", "xa.iaglai"]
    assert lines[2].split() == ["chuse", "district", "633", "(legacy)", "yes", "no"]
    assert lines[1].split() == ["admin1", "admin", "-", "yes", "no"]

    new_password = "một-mật-khẩu-mới-22"
    changed = run("set-password", "CHUSE", password=new_password)
    assert changed.exit_code == 0, changed.output
    with gia_lai.connect() as conn:
        stored = users.password_hash_of(conn, "chuse")
    assert users.check_password(stored, new_password)

    gone = run("deactivate-user", "chuse")
    assert gone.exit_code == 0, gone.output
    assert not account(gia_lai, "chuse").active
    listed = run("list-users").output.splitlines()
    assert listed[2].split()[-2:] == ["no", "no"]

    with gia_lai.connect() as conn:
        audited = audit.rows(conn)
    assert [(r["action"], json.loads(r["detail"])["username"]) for r in audited] == [
        ("user_deactivated", "chuse"),
        ("password_set", "chuse"),
        ("user_created", "xa.iaglai"),
        ("user_created", "chuse"),
        ("user_created", "admin1"),
    ]
    assert {r["remote_addr"] for r in audited} == {"cli"}
    for row in audited:
        assert PASSWORD not in row["detail"] and new_password not in row["detail"]


def test_password_is_asked_twice_without_the_variable(run, gia_lai: Engine) -> None:
    result = run(
        "create-user",
        "bob.x",
        "--role",
        "viewer",
        password=None,
        input=f"ngắn\n{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Mật khẩu phải có ít nhất 10 ký tự" in result.output  # asked again
    assert PASSWORD not in result.output  # never echoed
    with gia_lai.connect() as conn:
        assert users.check_password(users.password_hash_of(conn, "bob.x"), PASSWORD)

    mismatch = run(
        "set-password", "bob.x", password=None, input=f"{PASSWORD}x\n{PASSWORD}y\n"
    )
    assert mismatch.exit_code != 0
    with gia_lai.connect() as conn:
        assert users.check_password(users.password_hash_of(conn, "bob.x"), PASSWORD)
        assert [r["action"] for r in audit.rows(conn)] == ["user_created"]


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["create-user", "carol", "--role", "boss"], PASSWORD, "Vai trò"),
        (["create-user", "carol", "--role", "admin"], "ngắn", "ít nhất 10 ký tự"),
        (["create-user", "carol", "--role", "district"], PASSWORD, "Đơn vị"),
        (
            ["create-user", "carol", "--role", "district", "--unit", "999"],
            PASSWORD,
            "không tìm thấy mã '999'",
        ),
        (
            ["create-user", "carol", "--role", "district", "--unit", "23941"],
            PASSWORD,
            "cấp district",
        ),
        (
            ["create-user", "c", "--role", "commune", "--unit", "23941"],
            PASSWORD,
            "Tên đăng nhập",
        ),
        (
            [
                "create-user",
                "carol",
                "--role",
                "district",
                "--unit",
                "633",
                "--tree",
                "2025",
            ],
            PASSWORD,
            "cấp huyện",
        ),
        (["create-user", "ALICE", "--role", "viewer"], PASSWORD, "đã được dùng"),
        (["set-password", "nobody"], PASSWORD, "không có tài khoản 'nobody'"),
        (["set-password", "alice"], "ngắn", "ít nhất 10 ký tự"),
        (["deactivate-user", "nobody"], PASSWORD, "không có tài khoản"),
    ],
)
def test_errors_exit_non_zero_and_write_nothing(
    run, gia_lai: Engine, args: list[str], password: str, message: str
) -> None:
    assert run("create-user", "alice", "--role", "admin").exit_code == 0
    before = counts(gia_lai)
    with gia_lai.connect() as conn:
        hash_before = users.password_hash_of(conn, "alice")
    result = run(*args, password=password)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert counts(gia_lai) == before
    with gia_lai.connect() as conn:
        assert users.password_hash_of(conn, "alice") == hash_before


def test_list_shows_locks_and_an_empty_list(run, gia_lai: Engine) -> None:
    empty = run("list-users")
    assert empty.exit_code == 0 and "No accounts." in empty.output
    made = run("create-user", "dave", "--role", "province", "--unit", "64")
    assert made.exit_code == 0, made.output
    dave = account(gia_lai, "dave")
    now = dt.datetime.now(dt.UTC)
    with transaction(gia_lai) as session:
        for _ in range(users.MAX_FAILURES):
            users.record_failure(session, dave.id, now)
    line = run("list-users").output.splitlines()[1]
    assert line.startswith("dave") and "64 (legacy)" in line and "until" in line

    lifted = run("set-password", "dave")  # a new password lifts the lock
    assert lifted.exit_code == 0, lifted.output
    assert run("list-users").output.splitlines()[1].split()[-1] == "no"


def test_commands_need_a_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    for args in (["list-users"], ["deactivate-user", "x"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code != 0 and "init-db" in result.output
