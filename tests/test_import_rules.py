"""The layer rules in pyproject.toml ([tool.importlinter]) catch a wrong import.

Each test copies the apps into a temporary directory, adds one import, and runs
`lint-imports` there as `make lint` does.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


@pytest.fixture
def tree(tmp_path):
    for package in CONFIG["root_packages"]:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "locale"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}  # noqa\n")


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_code_as_it_is_keeps_every_contract(tree):
    result = lint(tree)
    assert result.returncode == 0, result.stdout
    assert "BROKEN" not in result.stdout


def test_the_base_importing_a_feature_app_is_refused(tree):
    append(tree / "committees" / "selectors.py", "from trainings import selectors")
    result = lint(tree)
    assert result.returncode == 1
    assert "committees is not allowed to import trainings" in result.stdout
    assert "committees.selectors -> trainings.selectors" in result.stdout


def test_lib_importing_an_app_is_refused(tree):
    append(tree / "lib" / "dates.py", "from members import models")
    result = lint(tree)
    assert result.returncode == 1
    assert "lib is not allowed to import members" in result.stdout


def test_a_feature_app_reaches_another_only_through_its_services_or_selectors(tree):
    append(tree / "trainings" / "selectors.py", "from legal_aid import selectors, services")
    assert lint(tree).returncode == 0

    append(tree / "trainings" / "views" / "public.py", "from legal_aid.models import Case")
    result = lint(tree)
    assert result.returncode == 1
    assert "trainings is not allowed to import legal_aid" in result.stdout
    assert "trainings.views.public -> legal_aid.models" in result.stdout


def test_the_new_apps_may_not_import_each_others_models_either(tree):
    (tree / "bond_fund" / "probe.py").write_text("from legal_aid.models import Case\n")
    (tree / "legal_aid" / "probe.py").write_text("from trainings.models import Training\n")
    result = lint(tree)
    assert result.returncode == 1
    assert "bond_fund.probe -> legal_aid.models" in result.stdout
    assert "legal_aid.probe -> trainings.models" in result.stdout
