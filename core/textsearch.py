"""Chinese-aware text matching: one normalisation, bigram candidates, a substring check.

Names are two to four Chinese characters, so trigram indexes (`pg_trgm`) cannot serve the
queries people type (张伟, 瑞丰, the last four digits of a phone). On PostgreSQL a column is
matched through a GIN index on `search_bigrams(column)` (a `tsvector` of the normalised text's
two-character substrings, created with the indexes by the `search` app's migrations): every bigram
of the query must be present (the index answers that), then `search_norm(column) LIKE %query%`
confirms the substring on the few candidates. The index is an expression, so every write (forms,
services, importers' bulk inserts, the seeds) keeps it current without any upkeep code. On SQLite
the same `search_norm` is the Python `normalise` registered on the connection, and only the LIKE
runs. Number prefixes (KH2612…) use `LIKE 'KH2612%'` on a `varchar_pattern_ops` index.
"""

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.db.models.sql.compiler import SQLCompiler

MIN_LENGTH = 2  # one character finds half the customers: nothing is searched below this
MAX_LENGTH = 50


def normalise(text: str | None) -> str:
    """Full-width → half-width (NFKC), letter case folded, runs of white space made one space.

    PostgreSQL's `search_norm` is `lower(normalize(text, NFKC))`: the same for everything but the
    few letters whose case folding is not their lower case (ß); SQLite calls this function."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def search_term(query: str | None) -> str:
    """The normalised query, capped at `MAX_LENGTH`; empty when too short to search."""
    term = normalise(query)[:MAX_LENGTH].strip()
    return term if len(term) >= MIN_LENGTH else ""


def bigrams(term: str) -> list[str]:
    """The distinct two-character substrings of an already normalised term, in order."""
    seen: dict[str, None] = {}
    for index in range(len(term) - 1):
        seen.setdefault(term[index : index + 2], None)
    return list(seen)


def _lexeme(text: str) -> str:
    """`text` as one literal lexeme of a `tsquery`, quoted."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery(term: str) -> str:
    """Every bigram of the term, ANDed, each quoted as a literal lexeme."""
    return " & ".join(_lexeme(gram) for gram in bigrams(term))


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def sqlite_function(
    connection: BaseDatabaseWrapper, name: str, function: Callable[[str | None], str]
) -> None:
    """Make the one-argument Python `function` callable from SQLite's SQL as `name` (once per
    connection): the same rule as PostgreSQL's SQL function of that name."""
    connection.ensure_connection()
    raw = connection.connection
    registered = connection.__dict__.setdefault("crm_sqlite_functions", {})
    if registered.get(name) is not raw:
        raw.create_function(name, 1, function, deterministic=True)
        registered[name] = raw


def _register_sqlite(connection: BaseDatabaseWrapper) -> None:
    """Make `search_norm` (this module's `normalise`) callable from SQLite's SQL."""
    sqlite_function(connection, "search_norm", normalise)


class SearchNorm(Func):
    """`search_norm(column)`: the normalised text of a column, in SQL."""

    function = "search_norm"

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any):
        _register_sqlite(connection)
        return self.as_sql(compiler, connection, **extra)


class _Match(Func):
    output_field = BooleanField()
    conditional = True
    arity = 1

    def __init__(self, column: str, term: str) -> None:
        self.term = term
        super().__init__(F(column))

    def _like(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list]:
        column_sql, params = compiler.compile(self.source_expressions[0])
        return column_sql, list(params)


class BigramHit(_Match):
    """PostgreSQL: every bigram of the term is in the column (the GIN index answers it). Only a
    candidate test, always paired with `NormLike`; elsewhere it is true."""

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any):  # type: ignore[override]
        if connection.vendor != "postgresql":
            return "1 = 1", []
        column, params = self._like(compiler, connection)
        return f"search_bigrams({column}) @@ %s::tsquery", [*params, _tsquery(self.term)]


class NormLike(_Match):
    """The column's normalised text contains the term (a normalised search term)."""

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any):  # type: ignore[override]
        if connection.vendor == "postgresql" and len(self.term) == 2:
            return "1 = 1", []  # the bigram itself, found by `BigramHit`, is the substring
        column, params = self._like(compiler, connection)
        if connection.vendor == "sqlite":
            _register_sqlite(connection)
        return f"search_norm({column}) LIKE %s ESCAPE '\\'", [
            *params,
            f"%{_like_escape(self.term)}%",
        ]


def Contains(column: str, term: str) -> Q:  # noqa: N802 - reads as a lookup
    """The column contains the term: the bigram candidates (indexed), then the substring."""
    return Q(BigramHit(column, term)) & Q(NormLike(column, term))


class StartsWith(_Match):
    """The column starts with the term, compared in upper case (business numbers: KH…)."""

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any):  # type: ignore[override]
        column, params = self._like(compiler, connection)
        return f"{column} LIKE %s ESCAPE '\\'", [*params, f"{_like_escape(self.term.upper())}%"]


def norm(column: str) -> Expression:
    return SearchNorm(F(column))


def term_value(term: str) -> Value:
    return Value(term)


class InFencedIds(Func):
    """`pk IN (the matches)`, with the matches found once, before the rows are read: on
    PostgreSQL `pk = ANY(ARRAY(subquery))`, an init plan whose ids the primary key's index then
    fetches. (As `IN (subquery)` the planner may sort a whole table by the rank and probe each
    row against the matches: 2 s instead of 16 ms for a supervisor's 瑞丰 over 50,000
    opportunities.) Elsewhere a plain `IN`."""

    output_field = BooleanField()
    arity = 2
    template = "%(expressions)s"
    arg_joiner = " IN "

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any):
        # column = ANY(ARRAY(SELECT …)): the joiner opens the array, the template closes it.
        return self.as_sql(
            compiler, connection, arg_joiner=" = ANY(ARRAY", template="%(expressions)s)", **extra
        )


class CharHit(_Match):
    """PostgreSQL: the column holds the character (a GIN index on `search_chars(column)`, its
    distinct characters, answers it: `search` migration 0004). Only a candidate test, paired
    with the exact contains; elsewhere it is true."""

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any):  # type: ignore[override]
        if connection.vendor != "postgresql":
            return "1 = 1", []
        column, params = self._like(compiler, connection)
        return f"search_chars({column}) @@ %s::tsquery", [*params, _lexeme(self.term)]


def text_contains(column: str, text: str, *, char_index: bool = False) -> Q:
    """A list filter's "contains" on a column that has a bigram index (`search_bigrams`): the
    normalised text contains the normalised term, the index finding the candidates for a term
    of two characters or more (on PostgreSQL; a scan of every row otherwise: 23 ms for 100,000
    opportunities' summaries). A one-character term is a plain contains: case-insensitive for
    a letter, exact for a character without case (a Chinese one), whose comparison then skips
    the upper-casing of every row (15 instead of 45 ms for 100,000 customer names); with
    `char_index` (the column has a `search_chars` index too) that character's candidates are
    found in the index first (a count of 华 among 100,000 customer names 35 -> 3 ms of SQL). The
    planner then reads every candidate for a page too, where it read the newest rows until it
    had enough (the API's 100 newest named 华…: 4-6 -> 12-19 ms); a list counts its rows anyway.
    The index test alone is exact, but without the `LIKE` beside it the planner read rows in
    the page's order and built each one's characters to test them (140 ms)."""
    term = normalise(text)[:MAX_LENGTH]
    if len(term) < MIN_LENGTH:
        raw = text.strip()
        if raw.lower() != raw.upper():
            return Q(**{f"{column}__icontains": raw})
        exact = Q(**{f"{column}__contains": raw})
        return Q(CharHit(column, raw)) & exact if char_index and len(raw) == 1 else exact
    return Q(BigramHit(column, term)) & Q(NormLike(column, term))


# At most this many matching rows are ranked (a bigram found in most names, 有限, stops here).
MATCH_FENCE = 5000
NUMBER_LIKE = re.compile(r"[a-z]{1,4}\d+")  # KH2612…: a business number's prefix


def ranked_matches(
    queryset: QuerySet[Any],
    term: str,
    *,
    fields: tuple[str, ...],
    numbers: tuple[str, ...] = (),
    ids: bool = False,
    limit: int,
) -> QuerySet[Any]:
    """The rows of `queryset` where a text field contains `term` or a number starts with it
    (or, with `ids`, whose id is the term), best first: an exact number or first field, then a
    prefix of them, then any substring; `limit` rows at most. `term` comes from `search_term`.

    A term shaped like a business number (KH2612…) is looked up by number prefix only, in the
    order of the number index, so the scan stops after `limit` rows even when thousands match.
    """
    if NUMBER_LIKE.fullmatch(term):
        if not numbers:
            return queryset.none()
        prefix = Q()
        for field in numbers:
            prefix |= Q(StartsWith(field, term))
        return queryset.filter(prefix).order_by(numbers[0])[:limit]
    if not fields:
        return queryset.none()
    # The candidates (each test answered by an index on PostgreSQL), then the exact check; kept
    # apart so that the planner tests the candidates in the index only, never row by row. (A
    # prefix test of a number in the same OR would make the bitmap lossy and every candidate's
    # bigrams recomputed: numbers are only looked up by the branch above.)
    candidates, check = Q(), Q()
    for field in fields:
        candidates |= Q(BigramHit(field, term))
        check |= Q(NormLike(field, term))
    whens = []
    if ids and term.isdigit() and len(term) < 10:
        candidates |= Q(pk=int(term))
        check |= Q(pk=int(term))
        whens.append(When(pk=int(term), then=0))
    whens += [When(search_first=term, then=0), When(search_first__startswith=term, then=1)]
    # The matches are found first, in their own (fenced) subquery: left to join them with the
    # visibility rule, the planner would test a rep's every row instead of asking the index.
    model = queryset.model
    matching = model._default_manager.filter(candidates & check).order_by().values("pk")
    return (
        queryset.filter(InFencedIds(F("pk"), Subquery(matching[:MATCH_FENCE])))
        # Ranked on the lower-case text: NFKC per row would cost more than the rest of the query.
        .annotate(search_first=Lower(F(fields[0])))
        .annotate(search_rank=Case(*whens, default=2, output_field=IntegerField()))
        .order_by("search_rank", "search_first", "pk")[:limit]
    )
