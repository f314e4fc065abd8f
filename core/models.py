from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds the created/updated timestamps every table carries."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Sequence(models.Model):
    """A named counter for business numbers (customer KH numbers), advanced under a row lock."""

    key = models.CharField(max_length=50, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "crm_sequence"

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
