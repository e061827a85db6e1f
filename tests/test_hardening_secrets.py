"""Issue 15, secrets: redaction that stays linear on hostile text, and no token in any table.

The redactor runs on every log record and every stored error text, so a payload an attacker
controls (an advisory description, a repository name) must not be able to stall it: each
shape below made the old userinfo pattern scan the rest of the text from every position.
"""

from __future__ import annotations

import pytest

from secagent_tui.logs import MASK, redact

TEN_MB = 10_000_000

# The shapes that were quadratic (a long run of URL-scheme characters, a scheme-looking run
# before "://" with no "@" after it), and the dense ones where every pattern's trigger occurs.
HOSTILE: dict[str, str] = {
    "letters": "a" * TEN_MB,
    "scheme characters": "a+" * (TEN_MB // 2),
    "scheme then no at": "a://" + "b" * TEN_MB,
    "digits before letters": "1a" * (TEN_MB // 2),
    "many schemes": "ab:/" * (TEN_MB // 4),
    "prose with urls": "See https://example.com/advisory for details. " * (TEN_MB // 46),
    "header keys": "authorization: " * (TEN_MB // 15),
    "bearer words": "bearer " * (TEN_MB // 7),
}


# A generous bound: the linear redactor takes about a second here; the old one needed
# hours for the first shape. pytest-timeout's signal method interrupts a running regex.
@pytest.mark.timeout(60)
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_redaction_of_ten_megabytes_of_hostile_text_finishes(text: str) -> None:
    secret = "ghp_" + "Hostile0" * 5
    # ";" ends a header or bearer value, so the URL is masked by the userinfo pattern.
    redacted = redact(text + "; https://x-access-token:" + secret + "@github.com/a/b")
    assert secret not in redacted
    assert redacted.endswith(f"; https://{MASK}@github.com/a/b")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The scheme run may start with a digit or sign; the userinfo is masked all the same.
        ("2https://user:pw@host/x", "2https://***@host/x"),
        ("x.y+z://u:p@h", "x.y+z://***@h"),
        ("(https://u:p@h)", "(https://***@h)"),
        ("https://u:p@h and ftp://v:q@i", "https://***@h and ftp://***@i"),
        # Nothing to mask: each gate's trigger without a secret.
        ("a://" + "b" * 1000, "a://" + "b" * 1000),
        ("email me@example.com", "email me@example.com"),
    ],
)
def test_userinfo_is_masked_wherever_the_scheme_run_starts(text: str, expected: str) -> None:
    assert redact(text) == expected
