"""README's set-up: exactly two commands that work on a fresh Debian machine, and .ci/run runs
the second, read from README.md."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Set up")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def commands() -> list[str]:
    blocks = re.findall(r"^```(\w*)\n(.*?)^```$", setup_section(), flags=re.M | re.S)
    assert [language for language, _ in blocks] == ["sh", "sh"], blocks
    assert all(body.count("\n") == 1 for _, body in blocks), blocks  # one line each
    return [body.strip() for _, body in blocks]


def test_readme_has_exactly_two_setup_commands_in_a_virtual_environment() -> None:
    build, tests = commands()
    assert build == ("python3 -m venv .venv && .venv/bin/pip install -e . "
                     "&& .venv/bin/python build.py")
    assert tests == ("python3 -m venv .venv && .venv/bin/pip install -e '.[test]' "
                     "&& .venv/bin/python -m pytest")


def test_readme_states_python_and_the_debian_packages() -> None:
    section = setup_section()
    required = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "requires-python"]
    assert required == ">=3.11"
    assert "Python 3.11 or newer" in section
    for needed in ("`python3-venv`", "`chromium`", "/usr/bin/chromium", "externally"):
        assert needed in section, needed


def test_ci_run_runs_the_readmes_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # (a .ci/run without --print would run the whole suite: not started then)
    assert '"--print"' in script
    assert script.count('sh -c "$test_command"') == 1
    assert script.index("ruff check") < script.index('sh -c "$test_command"')
    printed = subprocess.run(["bash", str(ROOT / ".ci" / "run"), "--print"], cwd=ROOT,
                             capture_output=True, text=True, check=False, timeout=60)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == commands()[1] + "\n"


def test_a_third_setup_command_is_refused(tmp_path: Path) -> None:
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "setup_commands.py", tmp_path / ".ci")
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    text = text.replace("\nInstall the test extras", "\n```sh\nsudo apt-get install chromium\n"
                        "```\n\nInstall the test extras", 1)
    (tmp_path / "README.md").write_text(text, encoding="utf-8")
    result = subprocess.run(["python3", str(tmp_path / ".ci" / "setup_commands.py"), "2"],
                            capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    line = text[:text.index("\n## Set up") + 1].count("\n") + 1
    assert f"README.md:{line}: the set-up section must have exactly two ```sh blocks" in (
        result.stderr)
