"""Settings: defaults, environment, overrides; docs/administration.md documents
every one."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import settings

SETTINGS_DOC = Path(__file__).resolve().parents[1] / "docs" / "administration.md"


def test_defaults_give_a_sqlite_file_in_the_instance_folder(tmp_path: Path) -> None:
    conf = settings.load(environ={"INSTANCE_PATH": str(tmp_path)})
    assert conf["DATABASE_URL"] == f"sqlite:///{tmp_path / 'dashboard.db'}"
    assert conf["DEMO"] is True and conf["PORT"] == 8050 and conf["LANGUAGE"] == "vi"


def test_environment_then_overrides(tmp_path: Path) -> None:
    env = {"INSTANCE_PATH": str(tmp_path), "PORT": "9000", "DEMO": "false"}
    conf = settings.load({"PORT": "9100"}, environ=env)
    assert conf["PORT"] == 9100 and conf["DEMO"] is False


def test_bad_language_is_refused() -> None:
    with pytest.raises(ValueError, match="LANGUAGE"):
        settings.load(environ={"LANGUAGE": "fr"})


def test_generated_secret_is_kept_on_disk(tmp_path: Path) -> None:
    conf = settings.load(environ={"INSTANCE_PATH": str(tmp_path)})
    first = settings.secret_key(conf)
    assert first == settings.secret_key(conf) and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_province_codes() -> None:
    assert settings.province_codes({"PROVINCES": "64, 52"}) == ["64", "52"]
    assert settings.province_codes({"PROVINCES": "all"}) is None


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_the_settings_table_documents_every_setting(setting: settings.Setting) -> None:
    text = SETTINGS_DOC.read_text(encoding="utf-8")
    table = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    assert f"| `{setting.name}` |" in table
