"""The set-up commands of README.md: the ```sh blocks of its "## Set up" section, one command
each (the first installs and builds the demo, the second installs and runs the tests).

    python3 .ci/setup_commands.py      # both, one a line
    python3 .ci/setup_commands.py 2    # the second: the test command .ci/run runs

Exit 1, naming README.md and the line, when the section does not hold exactly two ```sh blocks
of one line each. Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = "## Set up"
FENCE = "```"


class NotTwoCommands(Exception):
    pass


def setup_commands(text: str) -> list[tuple[int, str]]:
    """(line, command) of each ```sh block of the set-up section."""
    lines = text.split("\n")
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith(SECTION))
    except StopIteration:
        raise NotTwoCommands(f"README.md has no section starting '{SECTION}'") from None
    commands: list[tuple[int, str]] = []
    block: list[str] | None = None
    opened = 0
    for number in range(start + 1, len(lines)):
        line = lines[number]
        if block is None and line.startswith("## "):
            break
        if block is None and line.startswith(FENCE):
            if line.strip() != FENCE + "sh":
                raise NotTwoCommands(f"README.md:{number + 1}: a set-up block must be ```sh")
            block, opened = [], number + 1
        elif block is not None and line.strip() == FENCE:
            if len(block) != 1 or not block[0].strip():
                raise NotTwoCommands(f"README.md:{opened}: a set-up block must hold one "
                                     f"command on one line, not {len(block)} line(s)")
            commands.append((opened + 1, block[0].strip()))
            block = None
        elif block is not None:
            block.append(line)
    if block is not None:
        raise NotTwoCommands(f"README.md:{opened}: the ```sh block is not closed")
    if len(commands) != 2:
        raise NotTwoCommands(f"README.md:{start + 1}: the set-up section must have exactly two "
                             f"```sh blocks (install and build the demo; install and run the "
                             f"tests), not {len(commands)}")
    return commands


def main(argv: list[str]) -> int:
    try:
        commands = setup_commands(README.read_text(encoding="utf-8"))
    except NotTwoCommands as exc:
        print(f"{Path(argv[0]).name}: {exc}", file=sys.stderr)
        return 1
    if len(argv) > 2 or (len(argv) == 2 and argv[1] not in ("1", "2")):
        print(f"usage: {Path(argv[0]).name} [1|2]", file=sys.stderr)
        return 2
    chosen = commands if len(argv) < 2 else [commands[int(argv[1]) - 1]]
    for _, command in chosen:
        print(command)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
