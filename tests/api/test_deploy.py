"""The deployment description in deploy/ (a compose file and systemd units), checked here since it is
not run here (no Docker, no systemd as PID 1): the files parse, what they depend on exists, and every
hfkg command in them is one the command line accepts."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from api.cli.parser import build_parser

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())
_DEFAULTED = re.compile(r"\$\{(\w+):-([^}]*)\}")


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8")))


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def hfkg_commands() -> list[list[str]]:
    """Every hfkg command line of deploy/, its ${VAR:-default} read as the default."""
    lines = []
    for service in compose()["services"].values():
        command = service.get("command", [])
        lines += [" ".join(command)] if command[:1] == ["hfkg"] else [c for c in command if "hfkg " in c]
    for path in UNITS:
        if path.suffix == ".service":
            lines.append(unit(path)["Service"]["ExecStart"])
    found = []
    for line in lines:
        for part in re.findall(r"\S*hfkg (?:[^;&|]+)", _DEFAULTED.sub(r"\2", line)):
            words = shlex.split(part)
            found.append(words[1:])
    return found


def test_compose_runs_every_part_of_the_deployment() -> None:
    services = compose()["services"]
    assert {"api", "ingest", "postgres", "postgres-replica", "oxigraph", "api-replica"} <= set(services)
    for name, service in services.items():
        for needed in service.get("depends_on", {}):
            assert needed in services, f"{name} depends on {needed}, which is not a service"
    for name in ("api", "ingest"):
        environment = services[name]["environment"]
        assert "@postgres:5432/" in environment["HFKG_DATABASE_URL"]
        assert environment["HFKG_GRAPH_ENDPOINT"] == "http://oxigraph:7878"
    assert "@postgres-replica:5432/" in services["api-replica"]["environment"]["HFKG_DATABASE_URL"]
    assert "HFKG_API_KEY" not in services["api-replica"]["environment"]  # read-only: no writes there
    assert "--union-default-graph" in services["oxigraph"]["command"]
    for script in ("primary-init.sh", "replica.sh"):
        assert (DEPLOY / "postgres" / script).is_file()
    assert "pg_basebackup" in (DEPLOY / "postgres" / "replica.sh").read_text(encoding="utf-8")


def test_systemd_units_name_what_they_start() -> None:
    names = {p.name for p in UNITS}
    assert {"hfkg-api.service", "hfkg-ingest.service", "hfkg-oxigraph.service"} <= names
    for path in UNITS:
        parsed = unit(path)
        for section in ("Path", "Timer"):
            if parsed.has_section(section):
                assert parsed[section]["Unit"] in names
        if path.suffix == ".service":
            assert parsed["Service"]["ExecStart"].startswith("/")
    assert (
        "--union-default-graph" in unit(DEPLOY / "systemd" / "hfkg-oxigraph.service")["Service"]["ExecStart"]
    )


@pytest.mark.parametrize("words", hfkg_commands(), ids=" ".join)
def test_every_hfkg_command_in_deploy_is_accepted(words: list[str]) -> None:
    args = build_parser().parse_args(words)
    assert args.command in ("serve", "ingest")
    if args.command == "serve":
        assert args.workers > 1 and args.host == "0.0.0.0"


def test_both_descriptions_run_several_api_workers_and_one_ingest_worker() -> None:
    commands = hfkg_commands()
    assert sum(1 for w in commands if "ingest" in w) == 2  # the compose service, the systemd unit
    assert sum(1 for w in commands if "serve" in w) == 3  # api, api-replica, the systemd unit
