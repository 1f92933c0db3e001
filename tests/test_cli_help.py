"""`gxgk <command> --help` says what each --format is for."""

from __future__ import annotations

import re

import pytest
from conftest import run_gxgk


def option_help(help_text: str, option: str) -> str:
    """The help of one option, its lines joined, without its metavar and its default."""
    lines = help_text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith(option + " "))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("-")),
               len(lines))
    text = " ".join(line.strip() for line in lines[start:end])
    text = text.removeprefix(option).strip()
    text = re.sub(r"^\[[^\]]*\]", "", text)  # the choices
    return re.sub(r"\[default: [^\]]*\]", "", text).strip()


@pytest.mark.parametrize(("command", "formats"), [
    ("check", ("text", "json", "github")),
    ("linkcheck", ("text", "json", "github")),
    ("deadlines", ("text", "json")),
    ("report", ("text", "json", "csv")),
    ("search", ("text", "json")),
])
def test_every_format_is_explained(command: str, formats: tuple[str, ...]) -> None:
    result = run_gxgk(command, "--help")
    assert result.returncode == 0, result.stderr
    assert f"--format [{'|'.join(formats)}]" in result.stdout
    explained = option_help(result.stdout, "--format")
    for fmt in formats:
        assert re.search(rf"\b{fmt} for\b", explained), (command, fmt, explained)
