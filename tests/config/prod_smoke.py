"""`make prod-smoke`: the production shape brought up natively, as compose runs it.

The tree is built as the image is (vendor.sh, collectstatic with the manifest storage), then
gunicorn, a Celery worker and beat start with DEBUG=0, the Redis cache and broker (REDIS_URL) and
the S3 storage on a local S3 server (moto). The health endpoints, a page, its hashed static file
and an export run by the worker into the bucket are checked. PostgreSQL when DATABASE_URL names
one (a database of its own, `<name>_smoke`), else SQLite."""

import http.cookiejar
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.config.production import (
    build_like_the_image,
    free_port,
    production_env,
    s3_env,
    start_s3_server,
)

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def _fetch(url: str, opener: urllib.request.OpenerDirector | None = None) -> tuple[int, bytes]:
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:  # not listening yet
        return 0, b""


def _database(tmp: Path) -> tuple[str, str | None]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp / 'smoke.sqlite3'}", None
    import psycopg

    base, name = url.rsplit("/", 1)
    smoke = f"{name}_smoke"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{smoke}"')
        connection.execute(f'CREATE DATABASE "{smoke}"')
    return f"{base}/{smoke}", f"{base}/postgres"


def main() -> int:
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        print("prod-smoke needs REDIS_URL (a running Redis)", file=sys.stderr)
        return 2
    started = time.monotonic()
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="crm-smoke-") as name:
        tmp = Path(name)
        app = build_like_the_image(tmp / "app")
        s3, s3_url = start_s3_server(tmp / "s3.log")
        processes.append(s3)
        database_url, admin_url = _database(tmp)
        bucket = "crm-smoke"
        import boto3

        boto3.client(
            "s3",
            endpoint_url=s3_url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).create_bucket(Bucket=bucket)
        port = free_port()
        env = production_env(
            tmp,
            PYTHONPATH=str(app),
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            CACHE_KEY_PREFIX=f"smoke{port}",
            STATICFILES_STORAGE=MANIFEST,
            ALLOWED_HOSTS="127.0.0.1",
            EXPORT_ASYNC_ROWS="0",
            **s3_env(s3_url, bucket),
        )
        queue = f"smoke-{port}"
        env["CELERY_TASK_DEFAULT_QUEUE"] = queue

        def manage(*args: str) -> None:
            subprocess.run([sys.executable, "manage.py", *args], cwd=app, env=env, check=True)  # noqa: S603

        def start(log: str, *command: str) -> None:
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own programs
                    command,
                    cwd=app,
                    env=env,
                    stdout=(tmp / log).open("wb"),
                    stderr=subprocess.STDOUT,
                )
            )

        try:
            manage("migrate", "--no-input", "-v", "0")
            manage("collectstatic", "--no-input", "-v", "0")
            start("web.log", sys.executable, "-m", "gunicorn", "config.wsgi",
                  "--bind", f"127.0.0.1:{port}", "--workers", "2")  # fmt: skip
            start("worker.log", sys.executable, "-m", "celery", "-A", "config", "worker",
                  "--pool=solo", "-Q", queue, "--without-gossip", "--without-mingle",
                  "--loglevel=INFO")  # fmt: skip
            start("beat.log", sys.executable, "-m", "celery", "-A", "config", "beat",
                  "--schedule", str(tmp / "celerybeat-schedule"), "--loglevel=INFO")  # fmt: skip
            site = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while _fetch(f"{site}/health/")[0] != 200:
                if time.monotonic() > deadline:
                    raise AssertionError((tmp / "web.log").read_text())
                time.sleep(0.5)
            status, body = _fetch(f"{site}/health/ready/")
            print("ready", status, body.decode())
            assert status == 200, body
            assert json.loads(body)["checks"] == dict.fromkeys(
                ("database", "cache", "broker", "storage"), "ok"
            )
            status, page = _fetch(f"{site}/accounts/login/")
            assert status == 200, page[:2000]
            css = page.decode().split('href="/static/vendor/bootstrap/', 1)[1].split('"', 1)[0]
            assert css.startswith("bootstrap.min."), css
            assert css != "bootstrap.min.css", css
            assert _fetch(f"{site}/static/vendor/bootstrap/{css}")[0] == 200

            # A page behind the login, and an export written by the worker into the bucket.
            manage("shell", "-c", SEED)
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            _fetch(f"{site}/accounts/login/", opener)
            token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
            login = urllib.request.Request(  # noqa: S310 - http on 127.0.0.1
                f"{site}/accounts/login/",
                data=f"username=smoke&password=smoke-password-1&csrfmiddlewaretoken={token}".encode(),
                headers={"Referer": f"{site}/accounts/login/"},
            )
            opener.open(login, timeout=10)
            status, customers = _fetch(f"{site}/customers/", opener)
            assert status == 200, customers[:2000]
            status, job_page = _fetch(f"{site}/customers/export/", opener)
            assert status == 200, job_page[:2000]
            deadline = time.monotonic() + 60
            while True:
                status, job_page = _fetch(f"{site}/jobs/1/", opener)
                if b'data-status="done"' in job_page:
                    break
                if time.monotonic() > deadline:
                    raise AssertionError((tmp / "worker.log").read_text())
                time.sleep(0.5)
            status, export = _fetch(f"{site}/jobs/1/file/", opener)
            assert status == 200, export[:500]
            assert export.decode("utf-8-sig").count("\n") == 3
            assert processes[-1].poll() is None, (tmp / "beat.log").read_text()
            print(f"prod-smoke passed in {time.monotonic() - started:.0f}s")
            return 0
        except BaseException:
            for log in ("web.log", "worker.log", "beat.log"):
                if (tmp / log).exists():
                    print(f"--- {log}\n{(tmp / log).read_text()[-4000:]}", file=sys.stderr)
            raise
        finally:
            for process in reversed(processes):
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
            if admin_url:
                import psycopg

                with psycopg.connect(admin_url, autocommit=True) as connection:
                    connection.execute(
                        f'DROP DATABASE IF EXISTS "{database_url.rsplit("/", 1)[1]}"'
                    )


SEED = """
from tests.factories import UserFactory, role
from tests.factories.sales import CustomerFactory
user = UserFactory(username="smoke", role=role("supervisor"))
user.set_password("smoke-password-1")
user.save()
CustomerFactory.create_batch(2)
"""

if __name__ == "__main__":
    sys.exit(main())
