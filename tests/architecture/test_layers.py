"""The package is a stack: every import points down (or stays inside its own domain).

From the top: entry points (cli, bench) -> commands -> orchestrate -> defs (Dagster) -> the domains that use
a validated batch (warehouse, feedback, reports, alerts, generate) -> intake -> validate -> ingest -> shared
types (findings, package_status, published_text, instance, runtime) -> contract and sql -> paths.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipelines.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "pipelines"
LAYERS: list[set[str]] = [
    {"cli", "bench"},
    {"commands"},
    {"orchestrate"},
    {"defs", "definitions"},
    {"warehouse", "feedback", "reports", "alerts", "generate"},
    {"intake"},
    {"validate"},
    {"ingest"},
    {"findings", "package_status", "published_text", "instance", "runtime"},
    {"contract", "sql"},
    {"paths"},
    {"settings"},
]
RANK = {domain: rank for rank, domain_set in enumerate(LAYERS) for domain in domain_set}


def _domain(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
        found.append((".".join(p for p in parts if p != "__init__"), path))
    return found


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return [name for name in names if name == "pipelines" or name.startswith("pipelines.")]


def test_every_domain_has_a_layer():
    domains = {_domain(module) for module, _ in _modules() if module != "pipelines"}
    assert domains <= set(RANK), f"place these in LAYERS: {sorted(domains - set(RANK))}"


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_imports_point_down_the_stack(module, path):
    source = _domain(module)
    upward = [
        name
        for name in _imports(path)
        if _domain(name) != source and RANK.get(_domain(name), len(LAYERS)) <= RANK.get(source, -1)
    ]
    assert not upward, f"{module} imports up or sideways the stack: {upward}"


def test_architecture_doc_names_only_what_exists():
    """Every path the contributors' guide cites is in the tree."""
    import re

    text = (PROJECT_ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    cited = set(re.findall(r"`((?:pipelines|sql|tests|docs|reports|expectations)/[^`*<>\s]*)`", text))
    assert cited, "the guide cites no path"
    missing = sorted(path for path in cited if not (PROJECT_ROOT / path).exists())
    assert not missing, f"docs/ARCHITECTURE.md cites paths that do not exist: {missing}"


def test_only_settings_reads_the_deployment_environment_and_nothing_writes_it():
    """LANDSCAPE_* variables are read in pipelines/settings.py alone; no module changes os.environ for them."""
    import re

    offenders = []
    for module, path in _modules():
        text = path.read_text(encoding="utf-8")
        if module != "pipelines.settings" and re.search(r"environ[^\n]*LANDSCAPE_", text):
            offenders.append(module)
        if re.search(r"environ(\.setdefault|\[[^\]]+\]\s*=)[^\n]*LANDSCAPE_", text):
            offenders.append(f"{module} (writes)")
    assert not offenders, offenders


def test_readme_documents_every_setting():
    from pipelines.settings import VARIABLES

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert not [name for name in VARIABLES if f"| `{name}` |" not in readme]
