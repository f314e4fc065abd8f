"""The layer contracts of pyproject.toml hold, and they would catch an upward import."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

PYPROJECT = Path(settings.BASE_DIR) / "pyproject.toml"
PACKAGES = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["root_packages"]


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(  # noqa: S603 - our own linter on our own tree
        [str(executable), "--no-cache", str(root / "pyproject.toml")],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    root = Path(settings.BASE_DIR)
    for name in PACKAGES:
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_layer_contract(tree_copy: Path) -> None:
    result = _lint_imports(tree_copy)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("core/forms.py", "accounts.models"),  # the kernel imports nothing of ours
        ("sales/selectors.py", "service.selectors"),  # a lower app reaching a higher one
        ("marketing/selectors.py", "service.models"),  # two independent siblings
        ("reports/views.py", "config.navigation"),  # an app reaching the composition root
        ("reports/dashboards.py", "sales.models"),  # reports past an app's selectors
    ],
)
def test_an_upward_import_breaks_the_contracts(tree_copy: Path, module: str, upward: str) -> None:
    target = tree_copy / module
    target.write_text(f"import {upward}  # noqa\n" + target.read_text())
    result = _lint_imports(tree_copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert upward.split(".")[0] in result.stdout


def test_no_two_modules_import_each_other_in_a_loop() -> None:
    """Within the layers too: no module reaches itself through its imports (function-level
    imports included, which import-linter's layers do not look at within one package)."""
    import grimp

    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True)
    loops = sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    )
    assert loops == []
