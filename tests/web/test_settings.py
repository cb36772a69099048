"""One settings module, read from the environment."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured

import backstride.web.settings as live

SETTINGS = Path(live.__file__)


def load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> ModuleType:
    for name in ("DATABASE_URL", "BACKSTRIDE_DEBUG", "BACKSTRIDE_SECRET_KEY",
                 "BACKSTRIDE_ALLOWED_HOSTS", "BACKSTRIDE_HTTPS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BACKSTRIDE_VAR_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_sqlite_by_default_in_wal_mode_with_immediate_transactions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = load(monkeypatch, tmp_path)
    db = settings.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == tmp_path / "backstride.sqlite3"
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "PRAGMA journal_mode=WAL" in db["OPTIONS"]["init_command"]


def test_postgresql_when_database_url_is_set(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    settings = load(monkeypatch, tmp_path, DATABASE_URL="postgresql://u:p@db:5432/backstride")
    db = settings.DATABASES["default"]
    assert (db["ENGINE"], db["HOST"], db["NAME"]) == (
        "django.db.backends.postgresql", "db", "backstride")


def test_production_needs_a_secret_key_and_gets_secure_cookies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(ImproperlyConfigured):
        load(monkeypatch, tmp_path, BACKSTRIDE_DEBUG="0")
    settings = load(monkeypatch, tmp_path, BACKSTRIDE_DEBUG="0", BACKSTRIDE_SECRET_KEY="s" * 50,
                    BACKSTRIDE_ALLOWED_HOSTS="backstride.example")
    assert settings.SECRET_KEY == "s" * 50
    assert settings.ALLOWED_HOSTS == ["backstride.example"]
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.USE_TZ and settings.TIME_ZONE == "UTC"
