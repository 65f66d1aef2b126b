"""The suite's log check (tests/log_leaks.py) catches a planted leak, wherever it is logged."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.accounts.keys import generate_key, hash_key
from app.notifications.signing import new_secret
from tests.conftest import TEST_SECRET_KEY
from tests.log_leaks import find_leaks

ROOT = Path(__file__).resolve().parents[1]


def test_every_kind_of_secret_is_recognised() -> None:
    import uuid
    from datetime import UTC, datetime

    from app.callouts.tokens import make_token

    key = generate_key("entrepreneur").secret
    token = make_token(TEST_SECRET_KEY, uuid.uuid4(), "n0nce", datetime(2030, 1, 1, tzinfo=UTC))
    for secret in (key, new_secret(), token, hash_key(key, TEST_SECRET_KEY),
                   "anna@werkbedrijf.example.org"):
        assert find_leaks(f'{{"event": "x", "value": "{secret}"}}'), secret
    # What may be logged: a key's public prefix, ids, paths.
    prefix = generate_key("entrepreneur").prefix
    assert not find_leaks(f"key={prefix} id={uuid.uuid4()} path=/v1/requests status=201")


PLANTED = '''
import logging
import structlog

from app.accounts.keys import generate_key, hash_key
from app.logging import configure_logging
from app.notifications.signing import new_secret


def test_structlog_line() -> None:
    configure_logging("INFO", json_output=True, cache=False)
    structlog.get_logger("loket").info("made", secret=generate_key("partner").secret)


def test_stdlib_record_with_a_traceback() -> None:
    try:
        raise RuntimeError("insert failed: " + new_secret())
    except RuntimeError:
        logging.getLogger("sqlalchemy").exception("statement failed")


def test_secret_hash_at_teardown(request) -> None:
    request.addfinalizer(
        lambda: logging.getLogger("app").error("hash %s", hash_key("lk_x", "k" * 32))
    )


def test_email(capsys) -> None:
    print("sent to anna@werkbedrijf.example.org")


def test_clean() -> None:
    configure_logging("INFO", json_output=True, cache=False)
    structlog.get_logger("loket").info("made", prefix=generate_key("partner").prefix)
'''


def test_a_planted_leak_fails_its_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_planted=PLANTED)
    result = pytester.runpytest_subprocess("-p", "tests.log_leaks", "-p", "no:cacheprovider")
    capsys.readouterr()  # the inner run's report (planted secrets and all) is not our log
    outcomes = result.parseoutcomes()
    # Three fail in their call phase; the finalizer's leak is an error at teardown of a test
    # that passed; the clean one passes.
    assert outcomes == {"failed": 3, "passed": 2, "errors": 1}, result.stdout.str()
    report = result.stdout.str()
    for what in ("an API key", "a webhook secret", "a secret hash", "an email address"):
        assert f"{what}: " in report, what
