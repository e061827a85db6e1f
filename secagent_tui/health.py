"""Reachability checks for `config check` and the health screen: can we talk to GitHub and
Ollama, and does Ollama have the configured model. Each answer is one line."""

from __future__ import annotations

from dataclasses import dataclass

import ollama
from github import Auth, Github, GithubException

from secagent_tui.config import Config
from secagent_tui.logs import redact


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


def check_github(config: Config, token: str | None, timeout: float = 10.0) -> Check:
    if token is None:
        return Check("github", False, "no token (set GITHUB_TOKEN or run `secagent auth login`)")
    client = Github(
        auth=Auth.Token(token), base_url=config.github.api_url, timeout=int(timeout), retry=None
    )
    try:
        limits = client.get_rate_limit()
    except GithubException as exc:
        return Check("github", False, f"{config.github.api_url} answered {exc.status}")
    except Exception as exc:
        return Check("github", False, f"{config.github.api_url} unreachable: {_short(exc)}")
    finally:
        client.close()
    core = limits.resources.core
    return Check(
        "github",
        True,
        f"{config.github.api_url} reachable, {core.remaining}/{core.limit} requests left",
    )


def check_ollama(config: Config, timeout: float = 10.0) -> Check:
    client = ollama.Client(host=config.llm.host, timeout=timeout)
    try:
        listed = client.list()
    except ollama.ResponseError as exc:
        return Check("ollama", False, f"{config.llm.host} answered {exc.status_code}: {exc.error}")
    except Exception as exc:
        return Check("ollama", False, f"{config.llm.host} unreachable: {_short(exc)}")
    names = {m.model for m in listed.models if m.model}
    if config.llm.model not in names:
        return Check(
            "ollama",
            False,
            f"{config.llm.host} reachable but model {config.llm.model!r} is not on it "
            f"(run `ollama pull {config.llm.model}`)",
        )
    return Check("ollama", True, f"{config.llm.host} reachable, model {config.llm.model} present")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return redact(text[0] if text else type(exc).__name__)[:200]
