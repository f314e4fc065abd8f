"""The compose deployment and the image, read as Docker would (Docker itself is not here)."""

import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.config.production import ROOT, production_env

APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def resolve(value: str, given: dict[str, str]) -> str:
    """Compose's ${VAR:-default} and ${VAR:?error}, with `given` as the operator's environment."""

    def one(match: re.Match[str]) -> str:
        name, operator, rest = match.group(1), match.group(2), match.group(3)
        if name in given:
            return given[name]
        if operator == ":?":
            raise AssertionError(f"compose requires {name}")
        return rest or ""

    return re.sub(r"\$\{(\w+)(:-|:\?)?([^}]*)\}", one, str(value))


def test_one_migrate_runs_before_web_worker_and_beat(compose) -> None:
    services = compose["services"]
    assert services["migrate"]["command"] == "python manage.py migrate --no-input"
    assert services["migrate"]["restart"] == "no"
    for name in APP_SERVICES:
        service = services[name]
        assert "migrate" not in service["command"], name
        assert service["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }, name
        for backing in ("postgres", "redis", "minio"):
            assert service["depends_on"][backing] == {"condition": "service_healthy"}, name


def test_every_long_running_service_restarts_and_has_a_health_check(compose) -> None:
    services = compose["services"]
    for name in (*APP_SERVICES, "postgres", "redis", "minio"):
        assert services[name]["restart"] == "unless-stopped", name
        assert services[name]["healthcheck"]["test"], name
    assert "/health/ready/" in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert "celerybeat-schedule" in " ".join(services["beat"]["healthcheck"]["test"])
    assert services["beat"]["command"].endswith("--schedule /app/var/celerybeat-schedule")


def test_the_files_go_to_the_minio_bucket(compose) -> None:
    environment = compose["services"]["web"]["environment"]
    assert resolve(environment["AWS_S3_ENDPOINT_URL"], {}) == "http://minio:9000"
    bucket = resolve(environment["AWS_STORAGE_BUCKET_NAME"], {})
    assert bucket in resolve(
        compose["services"]["bucket"]["environment"]["AWS_STORAGE_BUCKET_NAME"], {}
    )
    assert compose["services"]["migrate"]["depends_on"]["bucket"] == {
        "condition": "service_completed_successfully"
    }


def test_the_image_runs_as_a_user_and_collects_with_the_manifest_storage() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users
    assert users[-1] not in ("root", "0")
    storage = dockerfile.index("ENV STATICFILES_STORAGE=whitenoise.storage.CompressedManifest")
    assert storage < dockerfile.index("collectstatic")


def test_the_front_end_stage_copies_every_file_the_vendor_script_reads() -> None:
    """The image's first stage runs scripts/vendor.sh with only the files it copies (the
    calendar's entry file was once missing: the build stopped there)."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    vendor = (ROOT / "scripts/vendor.sh").read_text(encoding="utf-8")
    copied = " ".join(re.findall(r"^COPY (?!--from)(.+)$", dockerfile.split("\nFROM ")[1], re.M))
    needed = set(re.findall(r"scripts/[\w.-]+\.js", vendor))
    assert needed
    assert {name for name in needed if name not in copied} == set()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    stamp = re.search(r"^static/vendor/\.built:(.*)$", makefile, re.M)
    assert stamp
    assert needed <= set(stamp.group(1).split())  # rebuilt when one of them changes


def _web_environment(compose, given: dict[str, str]) -> dict[str, str]:
    """The web service's environment as compose resolves it, except the database: the model
    checks ask the database server its version (`Contact.birthday_day` is a generated column), so
    the check runs against the test's own database instead of the compose host `postgres`."""
    environment = {
        key: resolve(value, given)
        for key, value in compose["services"]["web"]["environment"].items()
    }
    assert environment.pop("DATABASE_URL").startswith("postgres://")
    return environment


def test_check_deploy_passes_with_the_compose_defaults(compose, tmp_path: Path) -> None:
    given = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "EMAIL_URL": "smtp+tls://crm:secret@mail.example.com:587",
    }
    environment = _web_environment(compose, given)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**production_env(tmp_path), **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_the_console_mail_and_without_https(compose, tmp_path) -> None:
    environment = _web_environment(
        compose, {"SECRET_KEY": secrets.token_urlsafe(50), "EMAIL_URL": "consolemail://"}
    )
    environment.update(SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**production_env(tmp_path), **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr
