"""Periodic jobs of the customers module (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from crm.scheduling import recorded
from sales import services


@shared_task(name="sales.tasks.detect_customer_loss")
@recorded("detect-customer-loss")
def detect_customer_loss() -> str:
    opened = services.detect_customer_loss()
    return f"{opened} loss warning(s) opened."
