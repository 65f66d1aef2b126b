from __future__ import annotations

import logging
import os
import sys
from typing import Any, TextIO

import structlog


class LineLogger:
    """structlog's last step: each event goes out as one whole line in one write(), so the
    lines of several processes sharing stdout (the server's workers) never mix. (print()
    wrote a line and its newline separately, and a line longer than its buffer in pieces.)

    One write() of a line is whole in a file opened for appending, and on a pipe up to
    PIPE_BUF (4 KiB on Linux); a longer line on a pipe stays whole unless the pipe is full.
    The stream is looked up at each write (sys.stdout by default), so a test capturing
    stdout sees the lines."""

    def __init__(self, file: TextIO | None = None) -> None:
        self._file = file

    def msg(self, message: str) -> None:
        file = self._file or sys.stdout
        line = message + "\n"
        try:
            fd = file.fileno()
        except (AttributeError, OSError, ValueError):  # a stream without a descriptor
            file.write(line)
            file.flush()
            return
        data = memoryview(line.encode("utf-8", "backslashreplace"))
        while data:  # a signal can cut a long write short: finish it
            data = data[os.write(fd, data):]

    log = debug = info = warn = warning = msg
    fatal = failure = err = error = critical = exception = msg


def _line_logger(*_args: Any) -> LineLogger:
    return LineLogger()


def configure_logging(
    level: str = "INFO", *, json_output: bool = False, cache: bool = True
) -> None:
    """`cache=False` lets a later call (tests capturing the logs) take effect everywhere."""
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if json_output
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
        ),
        logger_factory=_line_logger,
        cache_logger_on_first_use=cache,
    )
