"""A record's change history in readable form: labels, dictionary and user names, choices."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Field, Model, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.context import API, IMPORT, JOB

EMPTY = "—"
VIA_LABELS = {IMPORT: _("import"), JOB: _("job"), API: _("API")}
KIND_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
# Never shown: the bookkeeping columns.
HIDDEN_FIELDS = {"id", "created_at", "updated_at"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    kind: str
    changes: list[Change] = field(default_factory=list)


def _fields(history_model: Any) -> list[Field]:
    return [f for f in history_model.tracked_fields if f.name not in HIDDEN_FIELDS]


def _who(record: Any) -> str:
    user = record.history_user
    name = str(user) if user is not None else ""
    via = VIA_LABELS.get(record.history_via)
    if via and name:
        return f"{name} ({via})"
    return name or str(via or EMPTY)


def _plain(model_field: Field, value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


class _Labels:
    """The names of the related rows the page mentions: one query per related table."""

    def __init__(self, fields: list[Field], records: Iterable[Any]) -> None:
        wanted: dict[type[Model], set[Any]] = defaultdict(set)
        for record in records:
            for model_field in fields:
                if model_field.is_relation and model_field.related_model is not None:
                    value = getattr(record, model_field.attname)
                    if value is not None:
                        wanted[model_field.related_model].add(value)
        self.names = {
            model: {pk: str(row) for pk, row in model._default_manager.in_bulk(ids).items()}
            for model, ids in wanted.items()
        }

    def show(self, model_field: Field, record: Any) -> str:
        value = getattr(record, model_field.attname)
        if model_field.is_relation and value is not None:
            related = model_field.related_model
            return self.names.get(related, {}).get(value, f"#{value}")  # type: ignore[arg-type]
        return _plain(model_field, value)


def entries(history_model: Any, records: Sequence[Any], previous: Any | None = None) -> list[Entry]:
    """`records` newest first; `previous` is the one just older than the last (or None)."""
    fields = _fields(history_model)
    labels = _Labels(fields, [*records, *([previous] if previous is not None else [])])
    result = []
    chain = [*records, previous]
    for record, older in zip(records, chain[1:], strict=True):
        entry = Entry(
            when=record.history_date, who=_who(record), kind=str(KIND_LABELS[record.history_type])
        )
        for model_field in fields:
            new = getattr(record, model_field.attname)
            if record.history_type == "-":
                break
            if older is not None and record.history_type == "~":
                if getattr(older, model_field.attname) == new:
                    continue
                old_text = labels.show(model_field, older)
            else:
                if new is None or new == "":
                    continue
                old_text = EMPTY
            entry.changes.append(
                Change(str(model_field.verbose_name), old_text, labels.show(model_field, record))
            )
        result.append(entry)
    return result


def record_history(obj: Model) -> QuerySet[Any]:
    """The history rows of `obj`, newest first, with their authors."""
    return obj.history.select_related("history_user").order_by(  # type: ignore[attr-defined]
        "-history_date", "-history_id"
    )


def older_than(history: QuerySet[Any], record: Any) -> Any | None:
    return history.filter(
        Q(history_date__lt=record.history_date)
        | Q(history_date=record.history_date, history_id__lt=record.history_id)
    ).first()


def update_with_history(rows: QuerySet[Any], **values: Any) -> int:
    """`rows.update(**values)` on a tracked model, with a change-history row for each row (a
    plain `.update()` writes none): the rows are read back once and their history written in
    bulk, authored by the actor context like every other change."""
    model = rows.model
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return 0
    manager = model._default_manager
    count = manager.filter(pk__in=ids).update(**values)
    model.history.bulk_history_create(
        list(manager.filter(pk__in=ids)), update=True, batch_size=1000
    )
    return int(count)
