"""Django's Redis cache, cleared by key prefix: the cache shares Redis with Celery's broker (and,
in tests, with parallel workers), so `clear()` must not flush the whole database."""

from django.core.cache.backends.redis import RedisCache


class PrefixedRedisCache(RedisCache):
    def clear(self) -> None:
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
