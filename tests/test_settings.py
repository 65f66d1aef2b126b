"""Settings refused at start: a weak secret key (never echoed, not even in part) and test-only
settings in production."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from app.config import Settings

LOKET = Path(sys.executable).parent / "loket"


def _settings(**values: Any) -> Settings:
    return Settings(database_url="sqlite://", _env_file=None, **values)  # type: ignore[call-arg]


def _pieces(secret: str, size: int = 6) -> set[str]:
    return {secret[i:i + size] for i in range(len(secret) - size + 1)}


@pytest.mark.parametrize(
    "secret",
    [
        "a" * 32,
        "0123456789abcdef" * 2,  # a pattern, repeated
        "a" * 31 + "b",  # mostly one character
        "aaaaaaaabbbbbbbbccccccccdddddddd",  # four characters
        "Zq3-" + "x" * 40,
        "short-Q7vK-9pLm",
    ],
    ids=["a*32", "repeated", "mostly-one", "four-characters", "padded", "short"],
)
@pytest.mark.parametrize("env", ["production", "test"])
def test_a_weak_secret_key_is_refused_without_echoing_it(secret: str, env: str) -> None:
    with pytest.raises(ValidationError) as raised:
        _settings(env=env, secret_key=secret)
    message = str(raised.value)
    assert "LOKET_SECRET_KEY" in message
    assert not {piece for piece in _pieces(secret) if piece in message}, message


@pytest.mark.parametrize(
    "secret",
    [secrets.token_urlsafe(48), secrets.token_urlsafe(24), secrets.token_hex(16),
     secrets.token_hex(32)],
    ids=["urlsafe-48", "urlsafe-24", "hex-16", "hex-32"],
)
def test_a_random_secret_key_is_accepted(secret: str) -> None:
    assert _settings(env="production", secret_key=secret).secret_key == secret


def test_development_keeps_its_placeholder() -> None:
    assert _settings(env="development").env == "development"


def test_loopback_webhooks_are_refused_in_production() -> None:
    secret = secrets.token_urlsafe(48)
    with pytest.raises(ValidationError) as raised:
        _settings(env="production", secret_key=secret, webhook_allow_loopback=True)
    assert "LOKET_WEBHOOK_ALLOW_LOOPBACK" in str(raised.value)
    assert secret not in str(raised.value)
    assert _settings(env="test", secret_key=secret, webhook_allow_loopback=True)


def test_the_command_line_refuses_a_weak_secret_without_echoing_it(tmp_path: Path) -> None:
    """As an operator starts it: the whole output holds no piece of the refused secret."""
    secret = "OurSecretKeyIsNotRandom" * 2
    env = {**os.environ, "LOKET_ENV": "production", "LOKET_SECRET_KEY": secret,
           "LOKET_DATABASE_URL": f"sqlite:///{tmp_path / 'loket.db'}"}
    done = subprocess.run([str(LOKET), "db", "upgrade"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "LOKET_SECRET_KEY" in output
    assert not {piece for piece in _pieces(secret) if piece in output}
