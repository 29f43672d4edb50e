"""The layering is checked, not just described: kinds <- ingest <- graph, search <- answers <- api,
with graph and search independent. `lint-imports` reads the contracts from pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def lint_imports(cwd: Path, config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(config)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_contracts_are_the_layering() -> None:
    contracts = {c["type"]: c for c in CONFIG["contracts"]}
    assert CONFIG["root_packages"] == ["kinds", "ingest", "graph", "search", "answers", "api"]
    assert contracts["layers"]["layers"] == ["api", "answers", "graph | search", "ingest", "kinds"]
    assert contracts["independence"]["modules"] == ["graph", "search"]
    assert contracts["forbidden"]["forbidden_modules"] == ["spacy", "thinc"]
    assert contracts["forbidden"]["ignore_imports"] == [
        "ingest.extract -> spacy",
        "ingest.extract.** -> spacy",
    ]


def test_the_packages_keep_the_contracts() -> None:
    result = lint_imports(ROOT, ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_broken_contract_fails(tmp_path: Path) -> None:
    """The same contracts on stand-in packages that break them: each break is reported."""
    for name in CONFIG["root_packages"]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "graph" / "__init__.py").write_text("import search\n", encoding="utf-8")
    (tmp_path / "kinds" / "__init__.py").write_text("def late():\n    import api\n", encoding="utf-8")
    (tmp_path / "answers" / "__init__.py").write_text("from api import x\n", encoding="utf-8")
    (tmp_path / "search" / "__init__.py").write_text("import spacy\n", encoding="utf-8")
    config = tmp_path / "pyproject.toml"
    config.write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    result = lint_imports(tmp_path, config)
    assert result.returncode != 0, result.stdout
    assert "3 broken" in result.stdout, result.stdout
    assert "search is not allowed to import spacy" in result.stdout, result.stdout
    for imported in ("graph -> search", "kinds -> api", "answers -> api"):
        assert imported in result.stdout, result.stdout


NO_SPACY = """
import sys
from api.cli import main
code = main(["--data", sys.argv[1], *sys.argv[2:]])
loaded = sorted(m for m in sys.modules if m == "spacy" or m.startswith(("spacy.", "thinc")))
assert not loaded, loaded
raise SystemExit(code)
"""


@pytest.mark.parametrize("command", [["documents", "--json"], ["check"], ["check", "--json"]])
def test_reading_commands_do_not_import_spacy(tmp_path: Path, corpus_data: Path, command: list[str]) -> None:
    """Opening the manifest loads no extraction pipeline: spaCy is for the writer only."""
    for data in (tmp_path / "empty", corpus_data):
        data.mkdir(exist_ok=True)
        result = subprocess.run(
            [sys.executable, "-c", NO_SPACY, str(data), *command],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=ROOT,
        )
        assert "AssertionError" not in result.stderr, result.stderr
        assert result.returncode == 0, result.stdout + result.stderr


PRIVATE = ("._inner", "oxrdflib._", "_converter", "._genbindings")


def test_no_private_attributes_of_rdf_libraries() -> None:
    """The graph is reached through the public APIs of pyoxigraph, rdflib and oxrdflib."""
    found = [
        f"{path.relative_to(ROOT)}: {word}"
        for package in CONFIG["root_packages"]
        for path in sorted((ROOT / package).rglob("*.py"))
        for word in PRIVATE
        if word in path.read_text(encoding="utf-8")
    ]
    assert not found, found


def test_both_graph_backends_offer_the_one_interface() -> None:
    """The embedded store and the SPARQL server have every member of GraphStoreLike, alike."""
    import inspect

    from graph.base import GraphStoreLike
    from graph.remote import RemoteGraphStore
    from graph.store import GraphStore

    members = [
        name
        for name in vars(GraphStoreLike)
        if callable(vars(GraphStoreLike)[name])
        and (not name.startswith("_") or name in ("__enter__", "__exit__"))
    ]
    assert {"apply", "select", "doc_ids", "write_export", "close"} <= set(members)
    assert "iris" in GraphStoreLike.__annotations__
    for backend in (GraphStore, RemoteGraphStore):
        for name in members:
            want, have = (
                inspect.signature(getattr(GraphStoreLike, name)),
                inspect.signature(getattr(backend, name)),
            )
            assert list(want.parameters) == list(have.parameters), (backend.__name__, name, str(have))
    with GraphStore.in_memory() as embedded:
        assert embedded.iris.base == RemoteGraphStore("http://127.0.0.1:9").iris.base
