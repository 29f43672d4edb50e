"""The README documents the real command line and the real settings: every command of the parser the
`hfkg` command builds, every option and argument of each, every setting of the settings class (with its
default), and nothing that is not one of them, in the style of datasette's documentation tests."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from api.cli.parser import build_parser
from api.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PACKAGES = ("kinds", "ingest", "graph", "search", "answers", "api")
# Not a setting: the tests' fault-injection hook (ingest/crashpoints.py), documented as such.
TEST_HOOKS = {"HFKG_CRASHPOINT"}
VARIABLE = re.compile(r"\bHFKG_[A-Z_]+\b")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


COMMAND_LINE = _section("Command line")


def _commands() -> dict[str, argparse.ArgumentParser]:
    (sub,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def _row(command: str) -> str:
    """The table row of the command line section that documents ``command``."""
    rows = [line for line in COMMAND_LINE.splitlines() if line.startswith(f"| `hfkg {command}")]
    rows = [line for line in rows if re.match(rf"\| `hfkg {command}( |`)", line)]
    assert len(rows) == 1, f"`hfkg {command}` needs one row in the README's command table, has {len(rows)}"
    return rows[0]


def _common_options() -> set[str]:
    return {s for a in build_parser()._actions for s in a.option_strings}


def test_the_parser_has_the_commands_of_the_contract() -> None:
    assert {"ingest", "documents", "document", "search", "ask", "serve"} <= set(_commands())


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_command_and_its_options_are_documented(command: str) -> None:
    row = _row(command)
    common = _common_options()
    for action in _commands()[command]._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:  # an argument: its metavar in the row
            name = str(action.metavar or action.dest.upper())
            assert name in row, f"`hfkg {command}`: argument {name} is not in its README row"
        elif set(action.option_strings) <= common:  # --data, --graph-endpoint: in the section's text
            assert any(s in COMMAND_LINE for s in action.option_strings), action.option_strings
        else:
            assert any(re.search(rf"{re.escape(s)}\b", row) for s in action.option_strings), (
                f"`hfkg {command}`: option {'/'.join(action.option_strings)} is not in its README row"
            )
        for choice in action.choices or ():
            assert str(choice) in row, f"`hfkg {command}`: {choice} of {action.option_strings} not in its row"


def test_the_readme_documents_no_command_that_does_not_exist() -> None:
    documented = set(re.findall(r"^\| `hfkg ([a-z]+)", COMMAND_LINE, re.M))
    assert documented == set(_commands())


def _settings_table() -> dict[str, str]:
    """The README's settings table: variable -> its default as written."""
    section = COMMAND_LINE[COMMAND_LINE.index("### Settings") :]
    return dict(re.findall(r"^\| `(HFKG_[A-Z_]+)` \| ([^|]+?) \|", section, re.M))


def test_every_setting_is_in_the_readme_with_its_default() -> None:
    table = _settings_table()
    assert set(table) == set(Settings.variables()), "the README's settings table and api/settings.py differ"
    for field in Settings.model_fields.values():
        written, default = table[str(field.validation_alias)].strip("`"), field.default
        if default is None:
            assert written == "–" or written in table, (field.validation_alias, written)
        elif isinstance(default, Path):
            assert Path(written) == default, (field.validation_alias, written)
        elif isinstance(default, (int, float)):
            assert float(written) == float(default), (field.validation_alias, written)
        else:
            assert written == default, (field.validation_alias, written)


def test_every_variable_the_code_reads_is_a_setting_or_a_documented_hook() -> None:
    variables = set(Settings.variables())
    in_code = {
        name
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        for name in VARIABLE.findall(path.read_text(encoding="utf-8"))
    }
    assert in_code - variables <= TEST_HOOKS, in_code - variables - TEST_HOOKS
    # The project's scripts (scripts/services.sh: its folder and ports) have settings of their own.
    in_scripts = {
        name
        for path in (ROOT / "scripts").glob("*.sh")
        for name in re.findall(r"\$\{(HFKG_[A-Z_]+):-", path.read_text(encoding="utf-8"))
    }
    assert {"HFKG_SERVICES_DIR", "HFKG_PG_PORT", "HFKG_OXIGRAPH_PORT"} <= in_scripts
    assert set(VARIABLE.findall(README)) <= variables | TEST_HOOKS | in_scripts
    for name in in_scripts:
        assert name in README, name
    for hook in TEST_HOOKS:
        assert hook in README, hook


def test_the_make_targets_are_documented() -> None:
    for target in ("make run", "make test", "make install"):
        assert target in README, target
