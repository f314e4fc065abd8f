"""The Simplified Chinese catalog covers every translatable string of the current source."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings

SOURCES = (
    "manage.py",
    "core",
    "jobs",
    "config",
    "devtools",
    "accounts",
    "inventory",
    "sales",
    "marketing",
    "service",
    "tasks",
    "reports",
    "api",
    "templates",
    "locale",
)


def test_chinese_catalog_is_complete_and_current(tmp_path: Path) -> None:
    root = Path(settings.BASE_DIR)
    for name in SOURCES:
        source = root / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
            )
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        env={**os.environ, "DEBUG": "1"},
        check=True,
    )
    catalog = polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"))
    missing = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert not missing, (
        f"Strings without a Chinese translation (run makemessages and translate): {missing}"
    )
    assert not fuzzy, f"Fuzzy translations to review: {fuzzy}"
