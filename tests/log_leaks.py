"""No secret and no contact's email in any log line of the suite.

A pytest plugin (loaded by tests/conftest.py): every phase of every test (setup, call and
teardown) fails when what pytest captured from it holds an API key, a webhook secret, an
answer-link token, a key's secret hash or an email address. That covers both ways the app
logs: structlog's lines on stdout/stderr and the standard library's records (caplog's
"Captured log" sections, tracebacks included). A report hook rather than a fixture, because
a fixture sees neither the captured stdout (without capfd, which would clash with tests
using capsys) nor what is logged while the test's fixtures are torn down.

Secrets are recognised by their shape (app/accounts/keys.py, app/notifications/signing.py,
app/callouts/tokens.py), so a test needs to declare nothing: whatever it makes is covered.
"""

from __future__ import annotations

import re
from collections.abc import Generator

import pytest

LEAK_PATTERNS: dict[str, re.Pattern[str]] = {
    # lk_<kind>_<10-char public id><32-char secret><6-char checksum>; the prefix alone is safe.
    "an API key": re.compile(r"lk_[a-z]{2,3}_[0-9A-Za-z]{48}"),
    "a webhook secret": re.compile(r"whsec_[A-Za-z0-9_-]{20,}"),
    # <invitation id>.<purpose>.<expiry>.<nonce>.<HMAC, base64url>
    "an answer-link token": re.compile(
        r"[0-9a-f-]{32,36}\.[a-z-]+\.\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}"
    ),
    # A mailed sign-in link's token (lkl_) or a session cookie (lks_): 32 random bytes.
    "a sign-in token or session cookie": re.compile(r"lk[ls]_[A-Za-z0-9_-]{40,}"),
    # A key's secret_hash (HMAC-SHA256, hex) or any other bare 256-bit digest.
    "a secret hash": re.compile(r"(?<![0-9a-fA-F])[0-9a-f]{64}(?![0-9a-fA-F])"),
    "an email address": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
}


def find_leaks(text: str) -> list[str]:
    """'<what>: <the line>' for every line of `text` that holds a secret or an email."""
    leaks = []
    for line in text.splitlines():
        for what, pattern in LEAK_PATTERNS.items():
            if pattern.search(line):
                leaks.append(f"{what}: {line[:300]}")
    return leaks


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    # Each phase's report repeats the sections of the phases before it: read only its own.
    captured = "\n".join(
        content for title, content in report.sections
        if title.startswith("Captured ") and title.endswith(f" {report.when}")
    )
    leaks = find_leaks(captured)
    if leaks:
        message = (
            f"The logs of this test's {report.when} hold a secret or an email address "
            "(tests/log_leaks.py):\n" + "\n".join(leaks[:20])
        )
        if report.failed:  # keep the first failure, and say this one too
            report.sections.append(("Secrets in the logs", message))
        else:
            report.outcome = "failed"
            report.longrepr = message
    return report
