"""The local services the later stages use answer for real (and CI fails when they do not)."""

import psycopg
import redis


def test_postgres_answers(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, connect_timeout=5) as conn:
        assert conn.execute("select 1 + 1").fetchone() == (2,)


def test_redis_answers(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url, socket_timeout=5)
    key = f"kanta-test:{id(client)}"
    client.set(key, "ok", ex=10)
    assert client.get(key) == b"ok"
    client.delete(key)
