"""A real Celery worker on Redis: a task sent through the broker changes the database and
writes its e-mail (file backend); CI always runs this (PostgreSQL and Redis are there)."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from kombu import Connection

from sales.models import BirthdayReminder
from tests.factories.sales import ContactFactory, CustomerFactory

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def worker(tmp_path: Path, transactional_db: None):
    if not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share (PostgreSQL on CI)")
    database = connection.settings_dict
    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://{}@{}:{}/{}".format(
            database["USER"] or "postgres",
            database["HOST"] or "127.0.0.1",
            database["PORT"] or 5432,
            database["NAME"],
        ),
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "EMAIL_URL": f"filemail://{mail}",
        "SECRET_KEY": "worker-test",
        "DEBUG": "0",
    }
    process = subprocess.Popen(  # noqa: S603 - our own Celery from the test environment
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue, mail, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_task_sent_through_redis_runs_in_the_worker(worker, manager) -> None:
    from config.celery import app
    from sales.tasks import send_birthday_reminders

    queue, mail, process = worker
    manager.email = "xiaoming@example.com"
    manager.save()
    ContactFactory(
        customer=CustomerFactory(manager=manager),
        name="王经理",
        birthday=timezone.localdate().replace(year=1980),
    )

    app.conf.task_always_eager = False
    try:
        with Connection(REDIS_URL) as broker:
            send_birthday_reminders.apply_async(queue=queue, connection=broker)
    finally:
        app.conf.task_always_eager = True

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not BirthdayReminder.objects.exists():
        assert process.poll() is None, process.stdout.read().decode(errors="replace")
        time.sleep(0.5)

    assert BirthdayReminder.objects.get().contact.name == "王经理"
    written = "".join(path.read_text(encoding="utf-8") for path in mail.glob("*.log"))
    assert "xiaoming@example.com" in written
    assert BirthdayReminder.objects.get().year == timezone.localdate().year
