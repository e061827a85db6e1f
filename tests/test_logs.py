"""Structured logging: what reaches the log file, and what must never reach it.

Tests read the real file written by the real handler, because the promise is about the
file on disk (what an operator ships to a log system), not about an in-memory record.
"""

from __future__ import annotations

import asyncio
import json
import logging
import logging.handlers
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from secagent_tui.logs import (
    correlation,
    correlation_id,
    get_logger,
    new_correlation_id,
    redact,
    setup_logging,
)

# (name, text carrying a secret, the secret itself). Fake values of realistic shape.
SHAPES: list[tuple[str, str, str]] = [
    ("ghp", "token ghp_" + "a1B2" * 9, "ghp_" + "a1B2" * 9),
    ("gho", "oauth gho_" + "Zz90" * 9, "gho_" + "Zz90" * 9),
    ("ghu", "user-to-server ghu_" + "Qq11" * 9, "ghu_" + "Qq11" * 9),
    ("ghs", "installation ghs_" + "Ss22" * 9, "ghs_" + "Ss22" * 9),
    ("ghr", "refresh ghr_" + "Rr33" * 9, "ghr_" + "Rr33" * 9),
    (
        "github_pat",
        "fine-grained github_pat_11ABCDEFG0123456789_abcdefghijKLMNOP",
        "github_pat_11ABCDEFG0123456789_abcdefghijKLMNOP",
    ),
    ("auth-bearer", "Authorization: Bearer eyJhbGciOi.payload-sig", "eyJhbGciOi.payload-sig"),
    (
        "auth-token",
        "Authorization: token 0123456789abcdef0123456789abcdef01234567",
        "0123456789abcdef0123456789abcdef01234567",
    ),
    ("bearer-anywhere", "upstream said: bearer sk-live-Secret42 rejected", "sk-live-Secret42"),
    (
        "url-userinfo",
        "cloning https://x-access-token:hunter2pass@github.com/acme/web.git",
        "hunter2pass",
    ),
]
SHAPE_IDS = [name for name, _, _ in SHAPES]


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """A configured log file; the root logger is put back afterwards for other tests."""
    root = logging.getLogger()
    before_level = root.level
    before_handlers = list(root.handlers)
    path = tmp_path / "nested" / "dir" / "secagent.log"
    setup_logging(path, "DEBUG")
    yield path
    for handler in [h for h in root.handlers if h not in before_handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(before_level)


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def raw(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------ redaction in the file


@pytest.mark.parametrize(("name", "text", "secret"), SHAPES, ids=SHAPE_IDS)
def test_secret_in_message_is_redacted_in_file(
    log_file: Path, name: str, text: str, secret: str
) -> None:
    get_logger("secagent_tui.test").info(text)
    assert secret not in raw(log_file)
    assert "***" in read_lines(log_file)[-1]["msg"]


@pytest.mark.parametrize(("name", "text", "secret"), SHAPES, ids=SHAPE_IDS)
def test_secret_in_format_args_is_redacted_in_file(
    log_file: Path, name: str, text: str, secret: str
) -> None:
    get_logger("secagent_tui.test").info("calling GitHub with %s (attempt %d)", text, 2)
    line = read_lines(log_file)[-1]
    assert secret not in raw(log_file)
    assert line["msg"].startswith("calling GitHub with ")
    assert line["msg"].endswith("(attempt 2)")
    assert "***" in line["msg"]


@pytest.mark.parametrize(("name", "text", "secret"), SHAPES, ids=SHAPE_IDS)
def test_secret_in_extra_fields_is_redacted_in_file(
    log_file: Path, name: str, text: str, secret: str
) -> None:
    get_logger("secagent_tui.test").info(
        "request", extra={"detail": text, "nested": {"headers": [text], "n": 3}}
    )
    line = read_lines(log_file)[-1]
    assert secret not in raw(log_file)
    assert "***" in line["detail"]
    assert "***" in line["nested"]["headers"][0]
    assert line["nested"]["n"] == 3


@pytest.mark.parametrize(("name", "text", "secret"), SHAPES, ids=SHAPE_IDS)
def test_secret_in_exception_message_is_redacted_in_file(
    log_file: Path, name: str, text: str, secret: str
) -> None:
    try:
        raise RuntimeError(f"GitHub refused: {text}")
    except RuntimeError:
        get_logger("secagent_tui.test").exception("push failed")
    line = read_lines(log_file)[-1]
    assert secret not in raw(log_file)
    assert "RuntimeError: GitHub refused:" in line["exc"]
    assert "***" in line["exc"]


def test_records_from_library_loggers_are_redacted_too(log_file: Path) -> None:
    # WARNING: PyGithub pins its own logger to INFO on import, so DEBUG would be dropped
    # (and this test would pass or fail by test order).
    logging.getLogger("github.Requester").warning(
        "GET https://api.github.com/orgs/acme {'Authorization': 'token ghp_libraryLeak123'}"
    )
    assert "ghp_libraryLeak123" not in raw(log_file)
    assert read_lines(log_file)[-1]["logger"] == "github.Requester"


def test_extra_values_under_secret_keys_are_masked_whatever_their_shape(log_file: Path) -> None:
    get_logger("secagent_tui.test").info(
        "auth", extra={"headers": {"Authorization": "opaque-value"}, "prompt_tokens": 120}
    )
    line = read_lines(log_file)[-1]
    assert line["headers"] == {"Authorization": "***"}
    assert line["prompt_tokens"] == 120


def test_non_json_extra_objects_are_stringified_and_redacted(log_file: Path) -> None:
    class Remote:
        def __str__(self) -> str:
            return "https://bot:ghp_objectLeak99@github.com/acme/web.git"

    get_logger("secagent_tui.test").info("clone", extra={"remote": Remote()})
    assert read_lines(log_file)[-1]["remote"] == "https://***@github.com/acme/web.git"


def test_malformed_format_string_still_logs_redacted_args(log_file: Path) -> None:
    get_logger("secagent_tui.test").info("broken %s %s", "ghp_badFormat123")
    assert "ghp_badFormat123" not in raw(log_file)
    assert "broken" in read_lines(log_file)[-1]["msg"]


# ----------------------------------------------------------------- the pure redact()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc.def", "Authorization: Bearer ***"),
        ("authorization=token abc123", "authorization=token ***"),
        ("{'Authorization': 'token abc123'}", "{'Authorization': 'token ***'}"),
        ('{"Authorization": "Bearer abc"}', '{"Authorization": "Bearer ***"}'),
        ("Authorization: abc123", "Authorization: ***"),
        ("use Bearer xyz now", "use Bearer *** now"),
        ("key=ghp_abc123XYZ;", "key=***;"),
        ("github_pat_11AAA_bbb end", "*** end"),
        ("https://user:pw@host.example/x?y=1", "https://***@host.example/x?y=1"),
        ("https://u:p@ss@github.com/a/b", "https://***@github.com/a/b"),
        (
            "https://api.github.com/x?access_token=abc&page=2",
            "https://api.github.com/x?access_token=***&page=2",
        ),
    ],
)
def test_redact_masks_each_credential_shape(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "prompt_tokens=120 completion_tokens=40",
        "token limit exceeded for model",
        "git@github.com:acme/web.git",
        "https://github.com/acme/web/security/dependabot/12",
        "mailto:security@example.com",
        "authorization header missing",
    ],
)
def test_redact_leaves_ordinary_text_alone(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(("name", "text", "secret"), SHAPES, ids=SHAPE_IDS)
def test_redact_is_idempotent(name: str, text: str, secret: str) -> None:
    once = redact(text)
    assert secret not in once
    assert redact(once) == once


# --------------------------------------------------------------------- correlation ids


def test_correlation_id_appears_in_lines_and_is_restored_after_the_block(
    log_file: Path,
) -> None:
    log = get_logger("secagent_tui.test")
    assert correlation_id() is None
    log.info("before")
    with correlation("outer123") as outer:
        assert outer == "outer123"
        log.info("in outer")
        with correlation() as inner:
            assert inner != outer
            assert correlation_id() == inner
            log.info("in inner")
        assert correlation_id() == outer
        log.info("back in outer")
    assert correlation_id() is None
    log.info("after")
    ids = [line["correlation_id"] for line in read_lines(log_file)]
    assert ids == [None, "outer123", inner, "outer123", None]


def test_correlation_id_is_restored_when_the_block_raises() -> None:
    with pytest.raises(ValueError), correlation("boom"):
        raise ValueError
    assert correlation_id() is None


def test_explicit_correlation_id_in_extra_wins_over_context(log_file: Path) -> None:
    with correlation("context-id"):
        get_logger("secagent_tui.test").info("job", extra={"correlation_id": "job-42"})
    assert read_lines(log_file)[-1]["correlation_id"] == "job-42"


def test_new_correlation_ids_are_short_unique_hex() -> None:
    ids = {new_correlation_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 12 and int(i, 16) >= 0 for i in ids)


async def test_concurrent_tasks_keep_their_own_correlation_id(log_file: Path) -> None:
    log = get_logger("secagent_tui.test")

    async def work(cid: str) -> None:
        with correlation(cid):
            for step in range(3):
                await asyncio.sleep(0)
                log.info("step", extra={"step": step, "expected": cid})

    await asyncio.gather(work("task-a"), work("task-b"))
    lines = [line for line in read_lines(log_file) if line["logger"] == "secagent_tui.test"]
    assert len(lines) == 6
    assert all(line["correlation_id"] == line["expected"] for line in lines)


# ------------------------------------------------------------------ file and format


def test_every_line_is_json_with_the_documented_keys(log_file: Path) -> None:
    log = get_logger("secagent_tui.sync")
    log.debug("debug line")
    log.info("synced %d alerts", 3, extra={"owner": "acme", "when": datetime(2024, 1, 2)})
    log.warning('unicode ✓ and "quotes"\nand a newline')
    lines = raw(log_file).splitlines()
    assert len(lines) == 3
    for text in lines:
        line = json.loads(text)
        assert {"ts", "level", "logger", "msg", "correlation_id"} <= line.keys()
        assert datetime.fromisoformat(line["ts"]).utcoffset() == UTC.utcoffset(None)
    second = json.loads(lines[1])
    assert second["level"] == "INFO"
    assert second["logger"] == "secagent_tui.sync"
    assert second["msg"] == "synced 3 alerts"
    assert second["owner"] == "acme"
    assert second["when"] == "2024-01-02 00:00:00"
    assert "exc" not in second


def test_extra_field_cannot_overwrite_a_fixed_key(log_file: Path) -> None:
    get_logger("secagent_tui.test").info("x", extra={"level": "spoofed", "ts": "then"})
    line = read_lines(log_file)[-1]
    assert line["level"] == "INFO"
    assert line["extra_level"] == "spoofed"
    assert line["extra_ts"] == "then"


def test_setup_twice_does_not_duplicate_lines(log_file: Path) -> None:
    setup_logging(log_file, "DEBUG")
    setup_logging(log_file, "DEBUG")
    get_logger("secagent_tui.test").info("once")
    assert [line["msg"] for line in read_lines(log_file)] == ["once"]


def test_setup_again_with_another_file_moves_output(log_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.log"
    setup_logging(other, "INFO")
    get_logger("secagent_tui.test").info("moved")
    assert raw(log_file) == ""
    assert [line["msg"] for line in read_lines(other)] == ["moved"]


def test_level_filters_lower_records(log_file: Path) -> None:
    setup_logging(log_file, "warning")
    log = get_logger("secagent_tui.test")
    log.info("dropped")
    log.warning("kept")
    assert [line["msg"] for line in read_lines(log_file)] == ["kept"]


def test_unknown_level_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'LOUD'"):
        setup_logging(tmp_path / "x.log", "LOUD")


def test_log_file_is_created_owner_only_with_parents(log_file: Path) -> None:
    assert log_file.parent.is_dir()
    assert stat.S_IMODE(log_file.stat().st_mode) & 0o077 == 0


def test_nothing_is_written_to_the_terminal(
    log_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = get_logger("secagent_tui.test")
    log.error("bad thing")
    try:
        raise OSError("disk")
    except OSError:
        log.exception("with traceback")
    out, err = capsys.readouterr()
    assert (out, err) == ("", "")
    assert len(read_lines(log_file)) == 2


def test_handler_survives_log_rotation(log_file: Path) -> None:
    log = get_logger("secagent_tui.test")
    log.info("before rotation")
    log_file.rename(log_file.with_suffix(".log.1"))
    log.info("after rotation")
    assert [line["msg"] for line in read_lines(log_file)] == ["after rotation"]
