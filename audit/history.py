"""A record's change history in readable form: labels, dictionary and user names, choices."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Field, Model, OuterRef, Q, QuerySet, Subquery
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
    subject: str = ""  # the related row an entry is about (e.g. an attachment), else empty


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

    def __init__(
        self,
        fields: list[Field],
        records: Iterable[Any],
        known: dict[type[Model], dict[Any, str]] | None = None,
    ) -> None:
        known = known or {}
        wanted: dict[type[Model], set[Any]] = defaultdict(set)
        for record in records:
            for model_field in fields:
                if model_field.is_relation and model_field.related_model is not None:
                    value = getattr(record, model_field.attname)
                    related = model_field.related_model
                    if value is not None and value not in known.get(related, {}):
                        wanted[related].add(value)
        self.names: dict[Any, dict[Any, str]] = {
            model: {pk: str(row) for pk, row in model._default_manager.in_bulk(ids).items()}
            for model, ids in wanted.items()
        }
        for model, names in known.items():
            self.names.setdefault(model, {}).update(names)

    def show(self, model_field: Field, record: Any) -> str:
        value = getattr(record, model_field.attname)
        if model_field.is_relation and value is not None:
            related = model_field.related_model
            return self.names.get(related, {}).get(value, f"#{value}")
        return _plain(model_field, value)


def entries(
    history_model: Any,
    records: Sequence[Any],
    previous: Any | None = None,
    *,
    known: dict[type[Model], dict[Any, str]] | None = None,
) -> list[Entry]:
    """`records` newest first; `previous` is the one just older than the last (or None);
    `known` names some related rows already (no query for them)."""
    chain = [*records, previous]
    return entries_of_pairs(history_model, list(zip(records, chain[1:], strict=True)), known)


def author(record: Any) -> str:
    """Who made a history row's change: the user, and how (import, job, API)."""
    return _who(record)


def entries_of_pairs(
    history_model: Any,
    pairs: Sequence[tuple[Any, Any | None]],
    known: dict[type[Model], dict[Any, str]] | None = None,
) -> list[Entry]:
    """One entry per (history row, the same record's row just before it, or None), with the
    names of the related rows read once for all (rows of several records, e.g. a timeline);
    `known` names some related rows already (no query for them)."""
    fields = _fields(history_model)
    labels = _Labels(fields, [row for pair in pairs for row in pair if row is not None], known)
    result = []
    for record, older in pairs:
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


def recent_entries(
    history: QuerySet[Any], limit: int, known: dict[type[Model], dict[Any, str]] | None = None
) -> list[tuple[Any, Entry]]:
    """The newest `limit` rows of `history` (rows of one tracked model, of any number of its
    records), newest first, each with its entry against the same record's previous row. One
    query reads the rows (each with the id of its record's previous row), one the previous
    rows, then one per related table named (less the rows `known` names already), whatever
    `limit` and the number of records."""
    model = history.model
    manager = model._default_manager
    earlier = manager.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by(
        "-history_id"
    )
    rows = list(
        history.annotate(previous_id=Subquery(earlier.values("history_id")[:1]))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    wanted = [row.previous_id for row in rows if row.previous_id is not None]
    previous = manager.in_bulk(wanted) if wanted else {}
    pairs = [(row, previous.get(row.previous_id)) for row in rows]
    return list(zip(rows, entries_of_pairs(model, pairs, known), strict=True))


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
    """`rows.update(**values)` on a tracked model (plain values, no expressions), with a
    change-history row for each row (a plain `.update()` writes none): the rows are read once,
    updated in one statement and their history written in bulk, authored by the actor context
    like every other change."""
    found = list(rows.select_for_update())  # locked: the update below changes these rows only
    if not found:
        return 0
    count = rows.update(**values)
    for row in found:
        for name, value in values.items():
            setattr(row, name, value)
    rows.model.history.bulk_history_create(found, update=True, batch_size=1000)
    return int(count)


# The history of related rows shown with a record's own ---------------------------------------


@dataclass(frozen=True)
class RelatedHistory:
    """Rows of another tracked model that belong in a record's history tab (e.g. the uploads and
    deletions of its attachments): `rows(record)` their history rows, `subject(row)` the label of
    the row an entry is about, `right` the right needed to see them (empty: none)."""

    rows: Callable[[Any], QuerySet[Any]]
    subject: Callable[[Any], str]
    right: str = ""


_RELATED: dict[type[Model], dict[str, RelatedHistory]] = defaultdict(dict)


def register_related_history(
    model: type[Model],
    *,
    key: str,
    rows: Callable[[Any], QuerySet[Any]],
    subject: Callable[[Any], str],
    right: str = "",
) -> None:
    """Show the history `rows(record)` in the history tab of every record of `model`
    (registering `key` again replaces it)."""
    _RELATED[model][key] = RelatedHistory(rows=rows, subject=subject, right=right)


def related_histories(model: type[Model], user: Any) -> list[RelatedHistory]:
    """The related histories of `model` that `user` may read, in the order of their keys."""
    found = _RELATED.get(model, {})
    return [
        found[key]
        for key in sorted(found)
        if not found[key].right or user.has_perm(found[key].right)
    ]


def related_entries(related: RelatedHistory, record: Any, limit: int) -> list[Entry]:
    """The newest `limit` entries of one related history of `record`, each with its subject."""
    found = []
    for row, entry in recent_entries(related.rows(record), limit):
        entry.subject = related.subject(row)
        found.append(entry)
    return found


class MergedHistory:
    """A record's own history and its related histories as one newest-first sequence of entries,
    for the paginator: a slice reads the newest `stop` rows of each history (a fixed number of
    queries per history), merges them and cuts the slice."""

    def __init__(self, record: Any, related: Sequence[RelatedHistory]) -> None:
        self.record = record
        self.related = related

    def __len__(self) -> int:
        own = record_history(self.record).count()
        return own + sum(source.rows(self.record).count() for source in self.related)

    def __getitem__(self, index: slice) -> list[Entry]:
        stop = index.stop if index.stop is not None else len(self)
        rows = list(record_history(self.record)[: stop + 1])
        found = entries(self.record.history.model, rows[:stop], *rows[stop:])
        for source in self.related:
            found.extend(related_entries(source, self.record, stop))
        found.sort(key=lambda entry: entry.when, reverse=True)
        return found[index.start or 0 : stop]
