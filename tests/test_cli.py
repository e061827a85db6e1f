"""The command line as its users meet it (DESIGN.md "Command line", "Contract details").

Checks that promise "no traceback" run the real console entry in a subprocess; the rest call
the click group in-process, which is cheaper and sees the same isolated environment.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from support.cli import (
    EXAMPLE_CONFIG,
    FAIL_KEYRING,
    CliSandbox,
    Outcome,
    Scenario,
    assert_no_traceback,
    root_logging_restored,
    run_scenarios,
    stderr_line,
)
from support.contract import FINDING_ANALYSIS_KEYS, FINDING_JSON_KEYS
from support.memory_keyring import stored

from secagent_tui.demo.github import GitHubServer
from secagent_tui.demo.synthetic import synthetic_finding
from secagent_tui.domain.finding import AlertState, Finding, Severity
from secagent_tui.domain.sla import SlaDays
from secagent_tui.secrets import SERVICE, USERNAME
from secagent_tui.store.migrate import head_revision

DESIGN_COMMANDS = (
    "sync",
    "findings",
    "analyze",
    "worker",
    "dismiss",
    "reopen",
    "stats",
    "auth",
    "config",
    "demo",
)

GITHUB_STATES = {"open", "dismissed", "fixed", "auto_dismissed"}
ANALYSIS_STATUSES = {"none", "queued", "running", "completed", "failed"}

# Shaped like a classic PAT so that a leak could not hide behind a "does not look like" path.
TOKEN = "ghp_SECRETtestTOKEN0123456789abcdefghij"

SEEDED = [synthetic_finding(i, repos=20) for i in range(60)]


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    with root_logging_restored():
        yield


@pytest.fixture
def sandbox(tmp_path: Path) -> CliSandbox:
    return CliSandbox(tmp_path)


@pytest.fixture
def seeded(sandbox: CliSandbox) -> tuple[CliSandbox, Path]:
    """The synthetic findings in the database named by a config file."""
    config = sandbox.config_with_db()
    sandbox.seed(SEEDED)
    return sandbox, config


def refs(findings: list[Finding]) -> list[str]:
    return sorted(f.ref for f in findings)


def json_refs(stdout: str) -> list[str]:
    return sorted(item["ref"] for item in json.loads(stdout))


# -------------------------------------------------------- the real entry point, in processes

# Every check that promises "no traceback" runs `python -m secagent_tui` for real. They are
# started together once per module (see `run_scenarios`) and each test reads its outcome.
BAD_DECISIONS = {
    # name: (arguments, what the one line must say)
    "dismiss_bad_ref": (("dismiss", "acme/web#x", "--reason", "not_used"), "bad reference"),
    "reopen_bad_ref": (("reopen", "acme/web"), "bad reference"),
    "dismiss_bad_reason": (
        ("dismiss", "acme/web#12", "--reason", "wontfix"),
        "unknown dismiss reason 'wontfix'",
    ),
}
BAD_CONFIGS = {
    # name: (TOML after [database], what the line must name besides the file)
    "unknown_key": ("[sla]\ncritical_dayz = 15\n", "sla.critical_dayz: unknown key"),
    "wrong_type": ('[sla]\ncritical_days = "15"\n', "sla.critical_days:"),
    "bad_toml": ("[sla\ncritical_days = 15\n", "line 3:"),
}
BAD_FILTERS = {
    "state": ("--state", "opne"),
    "severity": ("--severity", "urgent"),
}
BAD_DB_URL = "mysql://analyst:s3cr3tpw@db.example/secagent"

SCENARIOS: dict[str, Scenario] = {
    "help": Scenario(("--help",)),
    **{
        f"bad_config-{name}": Scenario(("--config", "{config}", "findings"), config=text)
        for name, (text, _) in BAD_CONFIGS.items()
    },
    "missing_config": Scenario(("--config", "{config}.missing", "findings"), config=""),
    "bad_db_url": Scenario(
        ("--config", "{config}", "findings"), config="", env={"SECAGENT_DATABASE_URL": BAD_DB_URL}
    ),
    "unwritable_log": Scenario(
        ("--config", "{config}", "findings"),
        config='[observability]\nlog_file = "/dev/null/secagent.log"\n',
    ),
    **{
        f"bad_decision-{name}": Scenario(("--config", "{config}", *args), config="")
        for name, (args, _) in BAD_DECISIONS.items()
    },
    **{
        f"bad_filter-{name}": Scenario(
            ("--config", "{config}", "findings", option, value), config=""
        )
        for name, (option, value) in BAD_FILTERS.items()
    },
    "unknown_command": Scenario(("frobnicate",)),
    "format_xml": Scenario(("findings", "--format", "xml")),
    # A backend that fails with something other than a KeyringError (a corrupt store).
    "broken_keyring_status": Scenario(("auth", "status"), files={"keyring.json": "{corrupt"}),
    "fail_keyring_login": Scenario(
        ("auth", "login", "--with-token"),
        input=TOKEN + "\n",
        env={"PYTHON_KEYRING_BACKEND": FAIL_KEYRING},
    ),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    return run_scenarios(tmp_path_factory.mktemp("cli-processes"), SCENARIOS)


def user_error(outcome: Outcome) -> str:
    """The checks every user error shares; returns its one line."""
    proc = outcome.proc
    assert proc.returncode != 0
    assert_no_traceback(proc.stdout, proc.stderr)
    assert proc.stdout == ""
    line = stderr_line(proc.stderr)
    assert line.startswith("secagent: ")
    assert outcome.sandbox.files() == outcome.before, "a refused command changed files"
    assert not outcome.sandbox.db_path.exists()
    assert not outcome.sandbox.default_db_path.exists()
    return line


def usage_error(outcome: Outcome) -> str:
    """Click's usage block and exactly one `Error:` line; returns that line."""
    proc = outcome.proc
    assert proc.returncode == 2
    assert_no_traceback(proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert proc.stderr.startswith("Usage: secagent")
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, proc.stderr
    assert outcome.sandbox.files() == outcome.before
    return errors[0]


# ----------------------------------------------------------------------------------- help


def test_help_lists_every_command_of_the_design(sandbox: CliSandbox) -> None:
    result = sandbox.invoke("--help")

    assert result.exit_code == 0
    listed = result.stdout.split("Commands:", 1)[1]
    names = {line.split()[0] for line in listed.splitlines() if line.strip()}
    assert set(DESIGN_COMMANDS) <= names


def test_python_dash_m_help_works_and_lists_the_commands(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["help"]

    assert outcome.proc.returncode == 0, outcome.proc.stderr
    assert outcome.proc.stderr == ""
    assert outcome.proc.stdout.startswith("Usage: secagent [OPTIONS] [COMMAND]")
    for name in DESIGN_COMMANDS:
        assert f"\n  {name} " in outcome.proc.stdout
    assert outcome.sandbox.files() == outcome.before


def test_help_touches_no_files(sandbox: CliSandbox) -> None:
    before = sandbox.files()
    for args in (["--help"], ["findings", "--help"], ["auth", "login", "--help"]):
        assert sandbox.invoke(*args).exit_code == 0
    assert sandbox.files() == before


# ----------------------------------------------------------------------------- bad config


@pytest.mark.parametrize("case", list(BAD_CONFIGS))
def test_bad_config_file_is_one_line_naming_file_and_key_and_changes_nothing(
    outcomes: dict[str, Outcome], case: str
) -> None:
    outcome = outcomes[f"bad_config-{case}"]

    line = user_error(outcome)

    assert line.startswith(f"secagent: {outcome.config}: ")
    assert BAD_CONFIGS[case][1] in line


def test_config_option_naming_a_missing_file_is_one_line_and_changes_nothing(
    outcomes: dict[str, Outcome],
) -> None:
    outcome = outcomes["missing_config"]

    line = user_error(outcome)

    assert line == f"secagent: {outcome.config}.missing: config file not found"


def test_bad_database_url_in_env_names_the_variable_but_not_its_password(
    outcomes: dict[str, Outcome],
) -> None:
    outcome = outcomes["bad_db_url"]

    line = user_error(outcome)

    assert line.startswith("secagent: env SECAGENT_DATABASE_URL: database.url: ")
    assert "s3cr3tpw" not in outcome.output


def test_secagent_config_naming_a_missing_file_is_refused(sandbox: CliSandbox) -> None:
    missing = sandbox.root / "missing.toml"

    result = sandbox.invoke("stats", env={"SECAGENT_CONFIG": str(missing)})

    assert result.exit_code == 2
    line = stderr_line(result.stderr)
    assert line == f"secagent: {missing}: config file not found (from SECAGENT_CONFIG)"
    assert sandbox.files() == set()


@pytest.mark.parametrize("command", [["stats"], ["db", "upgrade"], ["config", "check"]])
def test_every_config_reading_command_refuses_a_bad_config_alike(
    sandbox: CliSandbox, command: list[str]
) -> None:
    config = sandbox.config_with_db("[llm]\nmodel = 7\n")
    before = sandbox.files()

    result = sandbox.invoke("--config", str(config), *command)

    assert result.exit_code == 2
    assert result.stdout == ""
    line = stderr_line(result.stderr)
    assert line.startswith(f"secagent: {config}: llm.model: ")
    assert sandbox.files() == before


def test_bad_ollama_host_in_env_is_refused_naming_the_variable(sandbox: CliSandbox) -> None:
    result = sandbox.invoke("stats", env={"OLLAMA_HOST": "ftp://ollama.example"})

    assert result.exit_code == 2
    assert stderr_line(result.stderr).startswith("secagent: env OLLAMA_HOST: llm.host: ")
    assert sandbox.files() == set()


def test_unwritable_log_file_is_one_line_without_traceback(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["unwritable_log"]

    assert outcome.proc.returncode != 0
    assert_no_traceback(outcome.proc.stdout, outcome.proc.stderr)
    stderr_line(outcome.proc.stderr)


# ------------------------------------------------------------------------ bad input, refs


@pytest.mark.parametrize("name", list(BAD_DECISIONS))
def test_bad_ref_reason_or_unknown_finding_is_one_line_and_exit_2(
    outcomes: dict[str, Outcome], name: str
) -> None:
    outcome = outcomes[f"bad_decision-{name}"]

    line = user_error(outcome)

    assert outcome.proc.returncode == 2
    assert line.startswith("secagent: ")
    assert BAD_DECISIONS[name][1] in line


def test_analyze_of_an_unknown_finding_is_one_line_and_queues_nothing(
    sandbox: CliSandbox,
) -> None:
    result = sandbox.invoke("analyze", "acme/web#12", "--wait")

    assert result.exit_code == 2
    assert stderr_line(result.stderr) == (
        "secagent: unknown finding acme/web#12 (run `secagent sync` first?)"
    )
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("option", list(BAD_FILTERS))
def test_bad_filter_value_is_one_line_naming_it(outcomes: dict[str, Outcome], option: str) -> None:
    value = BAD_FILTERS[option][1]

    line = user_error(outcomes[f"bad_filter-{option}"])

    assert line.startswith(f"secagent: unknown {option} {value!r} (one of ")


def test_bad_word_in_a_state_list_is_named(sandbox: CliSandbox) -> None:
    result = sandbox.invoke("findings", "--state", "open,closed")

    assert result.exit_code == 2
    assert "unknown state 'closed'" in stderr_line(result.stderr)
    assert sandbox.files() == set()


def test_unknown_command_shows_usage_and_one_error_line(outcomes: dict[str, Outcome]) -> None:
    line = usage_error(outcomes["unknown_command"])

    assert line == "Error: No such command 'frobnicate'."


def test_format_xml_is_refused(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["format_xml"]

    line = usage_error(outcome)

    assert "Usage: secagent findings [OPTIONS]" in outcome.proc.stderr
    assert line.startswith("Error: Invalid value for '--format': 'xml' is not one of")


def test_dismiss_without_reason_is_a_usage_error(sandbox: CliSandbox) -> None:
    result = sandbox.invoke("dismiss", "acme/web#1")

    assert result.exit_code == 2
    assert "Missing option '--reason'" in result.stderr


# ------------------------------------------------------------------------------ findings


def test_findings_json_is_one_array_of_objects_with_exactly_the_contract_keys(
    seeded: tuple[CliSandbox, Path],
) -> None:
    sandbox, config = seeded

    result = sandbox.invoke(
        "--config", str(config), "findings", "--state", "all", "--format", "json"
    )

    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    assert isinstance(items, list)
    assert len(items) == len(SEEDED)
    for item in items:
        assert set(item) == FINDING_JSON_KEYS
        assert set(item["analysis"]) == FINDING_ANALYSIS_KEYS
        assert item["analysis"]["status"] in ANALYSIS_STATUSES
        assert item["state"] in GITHUB_STATES
        assert item["ref"] == f"{item['repo']}#{item['number']}"
        assert isinstance(item["pending_push"], bool)
        assert isinstance(item["epss_percentage"], float)
        assert isinstance(item["cwe_ids"], list)


def test_findings_json_times_are_utc_and_sla_due_follows_severity(
    seeded: tuple[CliSandbox, Path],
) -> None:
    sandbox, _ = seeded
    config = sandbox.config_with_db("[sla]\ncritical_days = 3\nlow_days = 100\n")
    days = SlaDays(critical=3, high=30, medium=45, low=100)

    result = sandbox.invoke(
        "--config", str(config), "findings", "--state", "all", "--format", "json"
    )

    by_ref = {f.ref: f for f in SEEDED}
    for item in json.loads(result.stdout):
        created = datetime.fromisoformat(item["created_at"])
        assert created.utcoffset() == timedelta(0)
        assert created == by_ref[item["ref"]].created_at
        assert datetime.fromisoformat(item["updated_at"]).utcoffset() == timedelta(0)
        expected_due = created + timedelta(days=days.days_for(Severity(item["severity"])))
        assert datetime.fromisoformat(item["sla_due_at"]) == expected_due


def test_findings_lists_only_open_ones_by_default(seeded: tuple[CliSandbox, Path]) -> None:
    sandbox, config = seeded
    open_ones = [f for f in SEEDED if f.state is AlertState.OPEN]
    assert 0 < len(open_ones) < len(SEEDED)

    result = sandbox.invoke("--config", str(config), "findings", "--format", "json")

    assert result.exit_code == 0, result.stderr
    assert json_refs(result.stdout) == refs(open_ones)


def test_findings_state_all_lists_every_finding(seeded: tuple[CliSandbox, Path]) -> None:
    sandbox, config = seeded

    result = sandbox.invoke(
        "--config", str(config), "findings", "--state", "all", "--format", "json"
    )

    assert json_refs(result.stdout) == refs(SEEDED)


def test_findings_state_takes_a_comma_list(seeded: tuple[CliSandbox, Path]) -> None:
    sandbox, config = seeded
    wanted = [f for f in SEEDED if f.state in (AlertState.DISMISSED, AlertState.FIXED)]
    assert {f.state for f in wanted} == {AlertState.DISMISSED, AlertState.FIXED}

    result = sandbox.invoke(
        "--config", str(config), "findings", "--state", "dismissed,fixed", "--format", "json"
    )

    assert result.exit_code == 0, result.stderr
    assert json_refs(result.stdout) == refs(wanted)
    assert {i["state"] for i in json.loads(result.stdout)} == {"dismissed", "fixed"}


def test_findings_severity_filters_open_findings(seeded: tuple[CliSandbox, Path]) -> None:
    sandbox, config = seeded
    wanted = [f for f in SEEDED if f.state is AlertState.OPEN and f.severity is Severity.CRITICAL]
    assert wanted

    result = sandbox.invoke(
        "--config", str(config), "findings", "--severity", "critical", "--format", "json"
    )

    assert result.exit_code == 0, result.stderr
    assert json_refs(result.stdout) == refs(wanted)


def test_findings_repo_glob_narrows_to_matching_repositories(
    seeded: tuple[CliSandbox, Path],
) -> None:
    sandbox, config = seeded
    wanted = [f for f in SEEDED if f.repo.startswith("acme/repo-000")]
    assert 0 < len(wanted) < len(SEEDED)

    result = sandbox.invoke(
        "--config",
        str(config),
        "findings",
        "--state",
        "all",
        "--repo",
        "acme/repo-000*",
        "--format",
        "json",
    )

    assert result.exit_code == 0, result.stderr
    assert json_refs(result.stdout) == refs(wanted)


def test_findings_csv_parses_with_a_header_naming_ref(seeded: tuple[CliSandbox, Path]) -> None:
    sandbox, config = seeded
    open_ones = [f for f in SEEDED if f.state is AlertState.OPEN]

    result = sandbox.invoke("--config", str(config), "findings", "--format", "csv")

    assert result.exit_code == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    rows = list(reader)
    assert reader.fieldnames is not None
    assert reader.fieldnames[0] == "ref"
    assert {"repo", "number", "state", "severity", "sla_due_at"} <= set(reader.fieldnames)
    assert sorted(row["ref"] for row in rows) == refs(open_ones)
    assert {row["state"] for row in rows} == {"open"}


def test_findings_table_lists_refs_and_a_count_footer(seeded: tuple[CliSandbox, Path]) -> None:
    sandbox, config = seeded
    open_ones = [f for f in SEEDED if f.state is AlertState.OPEN]

    result = sandbox.invoke("--config", str(config), "findings")

    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[0] == "REF"
    assert lines[-1] == f"{len(open_ones)} finding(s)"
    listed = sorted(line.split()[0] for line in lines[1:-1])
    assert listed == refs(open_ones)


def test_findings_on_an_empty_database_says_no_findings_match(sandbox: CliSandbox) -> None:
    config = sandbox.config_with_db()

    result = sandbox.invoke("--config", str(config), "findings")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == "no findings match\n"
    assert sandbox.db_path.exists()  # created and migrated on first use


def test_findings_json_on_an_empty_database_is_an_empty_array(sandbox: CliSandbox) -> None:
    result = sandbox.invoke("findings", "--format", "json")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert sandbox.default_db_path.exists()  # the XDG default, inside the sandbox


def test_secagent_database_url_overrides_the_config_file(sandbox: CliSandbox) -> None:
    other = sandbox.root / "other" / "env.db"
    sandbox.seed(SEEDED[:3], url=f"sqlite+aiosqlite:///{other}")
    config = sandbox.config_with_db()

    result = sandbox.invoke(
        "--config",
        str(config),
        "findings",
        "--state",
        "all",
        "--format",
        "json",
        env={"SECAGENT_DATABASE_URL": f"sqlite+aiosqlite:///{other}"},
    )

    assert result.exit_code == 0, result.stderr
    assert json_refs(result.stdout) == refs(SEEDED[:3])
    assert not sandbox.db_path.exists()


def test_secagent_config_env_is_used_without_the_option(
    seeded: tuple[CliSandbox, Path],
) -> None:
    sandbox, config = seeded

    result = sandbox.invoke(
        "findings", "--state", "all", "--format", "json", env={"SECAGENT_CONFIG": str(config)}
    )

    assert json_refs(result.stdout) == refs(SEEDED)


# --------------------------------------------------------------------------------- stats


def test_stats_json_is_one_document_with_the_contract_sections(
    seeded: tuple[CliSandbox, Path],
) -> None:
    sandbox, config = seeded

    result = sandbox.invoke("--config", str(config), "stats", "--json")

    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert {"findings", "sync", "jobs", "llm", "auto_dismiss"} <= set(doc)
    assert {"calls", "by_tier"} <= set(doc["llm"])
    assert isinstance(doc["llm"]["calls"], int)
    assert isinstance(doc["llm"]["by_tier"], dict)
    assert doc["findings"]["total"] == len(SEEDED)
    open_count = sum(f.state is AlertState.OPEN for f in SEEDED)
    assert doc["findings"]["by_state"]["open"] == open_count


def test_stats_text_works_on_an_empty_database(sandbox: CliSandbox) -> None:
    config = sandbox.config_with_db()

    result = sandbox.invoke("--config", str(config), "stats")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("findings: 0 total")
    assert "sync: never run" in result.stdout
    assert "llm: 0 call(s)" in result.stdout


# ------------------------------------------------------------------------------------ db


def test_db_upgrade_prints_the_revision_and_is_idempotent(sandbox: CliSandbox) -> None:
    config = sandbox.config_with_db()
    head = head_revision()
    assert head

    first = sandbox.invoke("--config", str(config), "db", "upgrade")
    second = sandbox.invoke("--config", str(config), "db", "upgrade")

    assert first.exit_code == second.exit_code == 0
    assert f"at revision {head} (head {head})" in first.stdout
    assert first.stdout == second.stdout
    assert str(sandbox.db_path) in first.stdout
    assert sandbox.db_path.exists()


# ---------------------------------------------------------------------------------- auth


def test_auth_login_with_token_stores_it_and_names_the_backend_not_the_token(
    sandbox: CliSandbox,
) -> None:
    result = sandbox.invoke("auth", "login", "--with-token", input=TOKEN + "\n")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == "token stored in the OS keyring (MemoryKeyring)\n"
    assert TOKEN not in result.output
    assert stored(sandbox.keyring_file) == {SERVICE: {USERNAME: TOKEN}}


def test_auth_login_warns_about_a_token_of_unknown_shape(sandbox: CliSandbox) -> None:
    result = sandbox.invoke("auth", "login", "--with-token", input="not-a-github-token\n")

    assert result.exit_code == 0
    assert "does not look like a GitHub token" in result.stdout
    assert "not-a-github-token" not in result.output


def test_auth_login_with_empty_input_is_refused(sandbox: CliSandbox) -> None:
    result = sandbox.invoke("auth", "login", "--with-token", input="\n")

    assert result.exit_code == 2
    assert "no token given" in stderr_line(result.stderr)
    assert stored(sandbox.keyring_file) == {}


def test_auth_status_shows_the_source_and_a_masked_value(sandbox: CliSandbox) -> None:
    sandbox.invoke("auth", "login", "--with-token", input=TOKEN)

    result = sandbox.invoke("auth", "status")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == "GitHub token from keyring (MemoryKeyring): ghp_****\n"
    assert TOKEN not in result.output
    assert TOKEN[4:12] not in result.output


def test_auth_status_without_any_token_exits_1(sandbox: CliSandbox) -> None:
    result = sandbox.invoke("auth", "status")

    assert result.exit_code == 1
    assert "no GitHub token" in result.stdout


def test_github_token_in_the_environment_wins_over_the_keyring(sandbox: CliSandbox) -> None:
    sandbox.invoke("auth", "login", "--with-token", input=TOKEN)
    env_token = "github_pat_ENVtoken_0123456789"

    result = sandbox.invoke("auth", "status", env={"GITHUB_TOKEN": env_token})

    assert result.exit_code == 0
    assert result.stdout == "GitHub token from env GITHUB_TOKEN: github_****\n"
    assert env_token not in result.output
    assert TOKEN not in result.output


def test_blank_github_token_does_not_hide_the_keyring(sandbox: CliSandbox) -> None:
    sandbox.invoke("auth", "login", "--with-token", input=TOKEN)

    result = sandbox.invoke("auth", "status", env={"GITHUB_TOKEN": "  "})

    assert "from keyring" in result.stdout


def test_auth_logout_removes_the_token(sandbox: CliSandbox) -> None:
    sandbox.invoke("auth", "login", "--with-token", input=TOKEN)

    first = sandbox.invoke("auth", "logout")
    second = sandbox.invoke("auth", "logout")
    status = sandbox.invoke("auth", "status")

    assert first.exit_code == 0
    assert first.stdout == "token removed from the OS keyring\n"
    assert stored(sandbox.keyring_file) == {SERVICE: {}}
    assert second.stdout == "no token was stored\n"
    assert status.exit_code == 1


@pytest.mark.parametrize(
    ("args", "stdin"),
    [(["login", "--with-token"], TOKEN), (["logout"], None)],
    ids=["login", "logout"],
)
def test_auth_without_a_usable_keyring_points_to_github_token(
    sandbox: CliSandbox, args: list[str], stdin: str | None
) -> None:
    result = sandbox.invoke(
        "auth", *args, input=stdin, env={"PYTHON_KEYRING_BACKEND": FAIL_KEYRING}
    )

    assert result.exit_code == 2
    line = stderr_line(result.stderr)
    assert line == (
        "secagent: no usable OS keyring on this machine; "
        "set GITHUB_TOKEN in the environment instead"
    )
    assert TOKEN not in result.output
    assert not sandbox.keyring_file.exists()


def test_auth_status_without_a_usable_keyring_still_honours_github_token(
    sandbox: CliSandbox,
) -> None:
    env = {"PYTHON_KEYRING_BACKEND": FAIL_KEYRING}
    without = sandbox.invoke("auth", "status", env=env)
    with_env = sandbox.invoke("auth", "status", env={**env, "GITHUB_TOKEN": TOKEN})

    assert without.exit_code == 1
    assert with_env.exit_code == 0
    assert with_env.stdout == "GitHub token from env GITHUB_TOKEN: ghp_****\n"


def test_auth_login_with_the_fail_keyring_is_one_line_in_a_real_process(
    outcomes: dict[str, Outcome],
) -> None:
    outcome = outcomes["fail_keyring_login"]

    line = user_error(outcome)

    assert "GITHUB_TOKEN" in line
    assert TOKEN not in outcome.output
    assert not outcome.sandbox.keyring_file.exists()


def test_unexpected_keyring_failure_is_one_line_without_traceback(
    outcomes: dict[str, Outcome],
) -> None:
    proc = outcomes["broken_keyring_status"].proc

    assert proc.returncode != 0
    assert_no_traceback(proc.stdout, proc.stderr)
    stderr_line(proc.stderr)


def test_auth_login_in_one_process_is_seen_by_status_in_the_next(sandbox: CliSandbox) -> None:
    login = sandbox.run("auth", "login", "--with-token", input=TOKEN + "\n")
    status = sandbox.run("auth", "status")

    assert login.returncode == 0, login.stderr
    assert login.stdout == "token stored in the OS keyring (MemoryKeyring)\n"
    assert status.returncode == 0, status.stderr
    assert status.stdout == "GitHub token from keyring (MemoryKeyring): ghp_****\n"
    for proc in (login, status):
        assert_no_traceback(proc.stdout, proc.stderr)
        assert TOKEN not in proc.stdout + proc.stderr
    assert stored(sandbox.keyring_file) == {SERVICE: {USERNAME: TOKEN}}
    assert TOKEN not in sandbox.state_text()


# -------------------------------------------------------------------------- config check


def test_config_check_offline_accepts_the_example_config(sandbox: CliSandbox) -> None:
    result = sandbox.invoke("--config", str(EXAMPLE_CONFIG), "config", "check", "--offline")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == (f"ok   config: {EXAMPLE_CONFIG}; owners: org:acme, user:octocat\n")


def test_config_check_offline_without_a_file_uses_the_defaults(sandbox: CliSandbox) -> None:
    result = sandbox.invoke("config", "check", "--offline")

    assert result.exit_code == 0, result.stderr
    assert "built-in defaults (no config file)" in result.stdout


def test_config_check_reaches_github_and_reports_unreachable_ollama_in_one_line(
    sandbox: CliSandbox,
) -> None:
    with GitHubServer() as server:
        config = sandbox.config_with_db(
            f'[github]\napi_url = "{server.base_url}"\n'
            '[llm]\nhost = "http://127.0.0.1:9"\n'
            '[observability]\nlog_level = "DEBUG"\n'
        )
        proc = sandbox.run(
            "--config", str(config), "config", "check", env={"GITHUB_TOKEN": server.token}
        )
        token = server.token
        assert server.request_count >= 1

    assert proc.returncode == 1
    assert_no_traceback(proc.stdout, proc.stderr)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("ok   config: ")
    assert [line for line in lines if line.startswith("ok   github: ")], proc.stdout
    assert server.base_url in proc.stdout
    fails = [line for line in lines if line.startswith("FAIL")]
    assert len(fails) == 1
    assert fails[0].startswith("FAIL ollama: http://127.0.0.1:9 unreachable")
    assert token not in proc.stdout + proc.stderr
    assert token not in sandbox.state_text()


def test_config_check_without_a_token_prints_one_fail_github_line(sandbox: CliSandbox) -> None:
    config = sandbox.config_with_db('[llm]\nhost = "http://127.0.0.1:9"\n')

    result = sandbox.invoke("--config", str(config), "config", "check")

    assert result.exit_code == 1
    github = [line for line in result.stdout.splitlines() if line.startswith("FAIL github")]
    assert github == ["FAIL github: no token (set GITHUB_TOKEN or run `secagent auth login`)"]
    assert [line for line in result.stdout.splitlines() if "github" in line] == github


def test_config_check_uses_the_keyring_token(sandbox: CliSandbox) -> None:
    with GitHubServer() as server:
        sandbox.invoke("auth", "login", "--with-token", input=server.token)
        config = sandbox.config_with_db(
            f'[github]\napi_url = "{server.base_url}"\n[llm]\nhost = "http://127.0.0.1:9"\n'
            '[observability]\nlog_level = "DEBUG"\n'
        )
        result = sandbox.invoke("--config", str(config), "config", "check")

    assert result.exit_code == 1  # Ollama is unreachable
    assert "ok   github: " in result.stdout
    assert sandbox.log_file.exists()
    assert server.token not in result.output + sandbox.state_text()


def test_config_check_reports_a_wrong_token_as_a_github_failure(sandbox: CliSandbox) -> None:
    with GitHubServer() as server:
        config = sandbox.config_with_db(
            f'[github]\napi_url = "{server.base_url}"\n[llm]\nhost = "http://127.0.0.1:9"\n'
        )
        result = sandbox.invoke(
            "--config", str(config), "config", "check", env={"GITHUB_TOKEN": "ghp_wrong"}
        )

    assert result.exit_code == 1
    github = [line for line in result.stdout.splitlines() if "github" in line]
    assert len(github) == 1
    assert github[0].startswith("FAIL github: ")
    assert "ghp_wrong" not in result.output


def test_a_too_old_sqlite_is_one_clear_line_and_creates_nothing(
    sandbox: CliSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sqlite3.sqlite_version_info", (3, 22, 0))
    monkeypatch.setattr("sqlite3.sqlite_version", "3.22.0")
    config = sandbox.config_with_db()

    result = sandbox.invoke("--config", str(config), "db", "upgrade")

    assert result.exit_code != 0
    assert_no_traceback(result.stdout, result.stderr)
    assert "SQLite 3.22.0 is too old" in stderr_line(result.stderr)
    assert not sandbox.db_path.exists()


def test_sync_with_a_wrong_token_says_so_for_every_owner_never_a_rate_limit(
    sandbox: CliSandbox,
) -> None:
    """GitHub answers a refused token with the unauthenticated limit (60 an hour) in its
    headers; that must not turn into "rate limit exhausted" for the next owner."""
    with GitHubServer() as server:
        config = sandbox.config_with_db(
            f'[github]\napi_url = "{server.base_url}"\nmax_retries = 0\n'
            '[[owners]]\nkind = "org"\nname = "acme"\n'
            '[[owners]]\nkind = "user"\nname = "jdoe"\n'
        )
        result = sandbox.invoke(
            "--config", str(config), "sync", "--json", env={"GITHUB_TOKEN": "ghp_wrong" + "x" * 30}
        )

    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    errors = {o["owner"]: o["error"] for o in doc["owners"]}
    assert set(errors) == {"acme", "jdoe"}
    for error in errors.values():
        assert error.startswith("GitHub refused the token from env GITHUB_TOKEN (401: "), error
        assert "rate limit" not in error
