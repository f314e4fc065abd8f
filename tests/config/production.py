"""Run Django in a fresh interpreter with the production environment (DEBUG=0, no test settings,
nothing imported by the test process), against a SQLite database migrated once per session."""

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "REDIS_", "CELERY_", "AWS_", "DATABASE_"))
        and key not in {"EMAIL_URL", "STATICFILES_STORAGE", "MEDIA_ROOT", "COV_CORE_SOURCE"}
    }
    env.update(
        {
            "SECRET_KEY": "production-path-test",
            "DEBUG": "0",
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "MEDIA_ROOT": str(tmp / "media"),
            "EMAIL_URL": f"filemail://{tmp / 'mail'}",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def migrated_database(factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, made once per test process and copied for each use."""
    template = factory.getbasetemp() / "production-template.sqlite3"
    if not template.exists():
        tmp = factory.mktemp("migrate")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=production_env(tmp),
            check=True,
            timeout=180,
        )
        shutil.copy(tmp / "db.sqlite3", template)
    return template


def run_python(
    script: str, tmp: Path, template: Path, timeout: int = 120, root: Path = ROOT, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `script` after `django.setup()` in a new interpreter on a copy of the database
    (in the project at `root`: this checkout, or a copy built as the Dockerfile builds it)."""
    if not (tmp / "db.sqlite3").exists():
        shutil.copy(template, tmp / "db.sqlite3")
    prelude = (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
        "django.setup()\n"
    )
    result = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-c", prelude + textwrap.dedent(script)],
        cwd=root,
        env=production_env(tmp, PYTHONPATH=str(root), **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def build_like_the_image(target: Path) -> Path:
    """The project's tracked files copied to `target`, with the front-end libraries copied by
    `scripts/vendor.sh` from npm's packages, as the Dockerfile builds the image."""
    files = (
        subprocess.run(
            ["/usr/bin/env", "git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for compiled in (ROOT / "locale").rglob("*.mo"):
        destination = target / compiled.relative_to(ROOT)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(compiled, destination)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    subprocess.run(["/bin/sh", "scripts/vendor.sh"], cwd=target, check=True, timeout=120)
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_s3_server(log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """moto's server mode: a real S3 HTTP API on 127.0.0.1 (None when moto is not installed)."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - moto from this environment
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, url
        except OSError:
            assert process.poll() is None, log.read_text()
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"the S3 server did not start: {log.read_text()}")


def s3_env(url: str, bucket: str) -> dict[str, str]:
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": url,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
