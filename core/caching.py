"""Reads through the cache that survive the cache being down.

The cache (Redis in production) only saves work: a page that can compute its value must not
fail because Redis cannot be reached, and a write must not be undone because a cached copy
could not be dropped (the copy expires on its own)."""

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

logger = logging.getLogger("crm.cache")
UNREACHABLE = (RedisError, OSError)  # the Redis backend's connection and timeout errors


def cached(key: str, seconds: int, compute: Callable[[], Any]) -> Any:
    """The cached value of `key`; when missing, `compute()`, stored for `seconds`. An
    unreachable cache counts as empty (and is not written to)."""
    try:
        value = cache.get(key)
    except UNREACHABLE:
        logger.warning("cache unreachable, computing %s", key, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, seconds)
        except UNREACHABLE:
            logger.warning("cache unreachable, %s not stored", key, exc_info=True)
    return value


def forget(key: str) -> None:
    """Drop `key`, if the cache can be reached (otherwise it expires on its own)."""
    try:
        cache.delete(key)
    except UNREACHABLE:
        logger.warning("cache unreachable, %s not dropped", key, exc_info=True)


def forget_with_write(key: str) -> None:
    """Drop `key` now and again when the current write commits (a reader in between may have
    cached the old value); outside a transaction, once."""
    forget(key)
    transaction.on_commit(lambda: forget(key))
