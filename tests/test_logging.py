"""Log lines of several processes sharing one stdout never mix: every line is written whole,
in one write(), and parses on its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = 4
LINES = 400

# Each process logs LINES JSON lines to its stdout, every other one padded to `pad` bytes.
WRITER = """
import sys
import structlog
from app.logging import configure_logging

configure_logging("INFO", json_output=True)
log = structlog.get_logger("loket.test")
name, pad = sys.argv[1], int(sys.argv[2])
for i in range(int(sys.argv[3])):
    log.info("line", process=name, i=i, pad="x" * (pad if i % 2 else 10))
"""


def _writers(stdout: int, pad: int) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(n), str(pad), str(LINES)],
            stdout=stdout, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for n in range(PROCESSES)
    ]


def _assert_whole_lines(output: bytes) -> None:
    lines = output.split(b"\n")
    assert lines.pop() == b""  # the output ends with a newline
    assert b"" not in lines, "an empty line: a newline written apart from its line"
    seen = set()
    for line in lines:
        event = json.loads(line)  # two objects on one line would not parse
        seen.add((event["process"], event["i"]))
    assert seen == {(str(n), i) for n in range(PROCESSES) for i in range(LINES)}
    assert len(lines) == PROCESSES * LINES


def test_processes_sharing_a_pipe_write_whole_lines() -> None:
    """Lines up to PIPE_BUF (4 KiB), which POSIX keeps whole on a pipe."""
    read_end, write_end = os.pipe()
    chunks: list[bytes] = []

    def drain() -> None:
        with os.fdopen(read_end, "rb") as pipe:
            while chunk := pipe.read1(65536):
                chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    processes = _writers(write_end, pad=3900)
    os.close(write_end)  # the reader sees EOF once every writer has exited
    for process in processes:
        assert process.wait(timeout=120) == 0
    reader.join(timeout=60)
    _assert_whole_lines(b"".join(chunks))


@pytest.mark.parametrize("pad", [3900, 20_000], ids=["short", "longer-than-a-buffer"])
def test_processes_sharing_a_log_file_write_whole_lines(tmp_path: Path, pad: int) -> None:
    path = tmp_path / "loket.log"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        processes = _writers(fd, pad=pad)
        for process in processes:
            assert process.wait(timeout=120) == 0
    finally:
        os.close(fd)
    _assert_whole_lines(path.read_bytes())
