"""RedisLimiter and LoginThrottle against a real Redis (KANTA_TEST_REDIS_URL, default
127.0.0.1:6379/15); skipped without it unless KANTA_TEST_REQUIRE lists redis."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from typing import TYPE_CHECKING

import pytest
import redis

from api.auth.throttle import (
    Decision,
    Limiter,
    LimiterUnavailable,
    LoginThrottle,
    RateLimit,
    RedisLimiter,
)

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    prefix = f"kanta-test:auth:{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def limiter(redis_url: str, prefix: str) -> Iterator[RedisLimiter]:
    limiter = RedisLimiter(redis_url, prefix)
    yield limiter
    limiter.close()


def _raw(redis_url: str) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


def test_satisfies_the_protocol(limiter: RedisLimiter) -> None:
    as_protocol: Limiter = limiter
    assert as_protocol.hit("p", 1, 10).allowed


def test_counts_and_expires_atomically(limiter: RedisLimiter, redis_url: str,
                                       prefix: str) -> None:
    assert [limiter.hit("k", 2, 30).allowed for _ in range(3)] == [True, True, False]
    refused = limiter.hit("k", 2, 30)
    assert not refused.allowed and 29 <= refused.retry_after_s <= 30
    client = _raw(redis_url)
    assert client.get(f"{prefix}:k") == b"4"
    assert 0 < client.pttl(f"{prefix}:k") <= 30_000
    client.close()


def test_window_ends(limiter: RedisLimiter) -> None:
    assert limiter.hit("short", 0, 1) == Decision(False, 1)
    assert limiter.peek("short", 1, 1) == Decision(False, 1)
    time.sleep(1.1)
    assert limiter.peek("short", 1, 1) == Decision(True, 0)
    assert limiter.hit("short", 1, 1) == Decision(True, 0)


def test_peek_does_not_count(limiter: RedisLimiter) -> None:
    assert limiter.peek("k", 1, 60) == Decision(True, 0)
    assert limiter.peek("k", 1, 60) == Decision(True, 0)
    limiter.hit("k", 1, 60)
    decision = limiter.peek("k", 1, 60)
    assert not decision.allowed and 59 <= decision.retry_after_s <= 60


def test_counter_without_expiry_gets_one(limiter: RedisLimiter, redis_url: str,
                                         prefix: str) -> None:
    client = _raw(redis_url)
    client.set(f"{prefix}:stale", 7)
    limiter.hit("stale", 100, 60)
    assert 0 < client.pttl(f"{prefix}:stale") <= 60_000
    client.close()


def test_peek_with_limit_zero_refuses_even_an_unseen_key(limiter: RedisLimiter) -> None:
    assert limiter.peek("unseen", 0, 60) == Decision(False, 60)


def test_reset(limiter: RedisLimiter) -> None:
    for _ in range(3):
        limiter.hit("k", 1, 60)
    limiter.reset("k")
    assert limiter.hit("k", 1, 60).allowed


def test_two_threads_count_correctly(limiter: RedisLimiter) -> None:
    results: list[bool] = []
    lock = threading.Lock()
    barrier = threading.Barrier(2)

    def work() -> None:
        barrier.wait()
        mine = [limiter.hit("shared", 150, 60).allowed for _ in range(100)]
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 150 and results.count(False) == 50
    assert not limiter.peek("shared", 200, 60).allowed  # 200 counted
    assert limiter.peek("shared", 201, 60).allowed


def test_two_limiters_share_the_count(redis_url: str, prefix: str,
                                      limiter: RedisLimiter) -> None:
    other = RedisLimiter(redis_url, prefix)
    try:
        limiter.hit("k", 1, 60)
        assert not other.hit("k", 1, 60).allowed
    finally:
        other.close()


def test_login_lockout_after_five_failures_and_reset(limiter: RedisLimiter, redis_url: str,
                                                     prefix: str) -> None:
    throttle = LoginThrottle(limiter)
    email = "Claire.Martin@Cabinet.fr"
    for _ in range(4):
        throttle.failed(email, "192.0.2.10")
        assert throttle.check(email, "192.0.2.10").allowed
    throttle.failed(email, "192.0.2.10")
    decision = throttle.check(email.lower(), "198.51.100.1")
    assert not decision.allowed and 899 <= decision.retry_after_s <= 900
    assert throttle.check("someone@cabinet.fr", "192.0.2.10").allowed
    # No raw e-mail or address in Redis.
    client = _raw(redis_url)
    keys = b" ".join(client.scan_iter(match=f"{prefix}:*")).decode()
    client.close()
    assert keys and "claire" not in keys.lower() and "192.0.2" not in keys
    throttle.reset(email)
    assert throttle.check(email, "192.0.2.10").allowed


def test_success_clears_the_account_count(limiter: RedisLimiter) -> None:
    throttle = LoginThrottle(limiter)
    for _ in range(4):
        throttle.failed("a@b.fr", "192.0.2.10")
    throttle.succeeded("a@b.fr")
    for _ in range(4):
        throttle.failed("a@b.fr", "192.0.2.10")
    assert throttle.check("a@b.fr", "192.0.2.10").allowed


def test_address_blocked_after_twenty_failures(limiter: RedisLimiter) -> None:
    throttle = LoginThrottle(limiter)
    for i in range(20):
        throttle.failed(f"user{i}@b.fr", "203.0.113.7")
    assert not throttle.check("new@b.fr", "203.0.113.7").allowed
    assert throttle.check("new@b.fr", "203.0.113.8").allowed


def test_rate_limit(limiter: RedisLimiter) -> None:
    rate = RateLimit(limiter, per_minute=2)
    assert [rate.hit("key:abc").allowed for _ in range(3)] == [True, True, False]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_redis_raises_limiter_unavailable() -> None:
    # Needs no Redis: it is about a Redis that is not there.
    url = f"redis://:hunter2@127.0.0.1:{_closed_port()}/0"
    limiter = RedisLimiter(url, "kanta-test:down", timeout_s=0.5)
    for call in (lambda: limiter.hit("k", 1, 60), lambda: limiter.peek("k", 1, 60),
                 lambda: limiter.reset("k"),
                 lambda: LoginThrottle(limiter).check("a@b.fr", "192.0.2.1")):
        with pytest.raises(LimiterUnavailable, match="unavailable") as info:
            call()
        assert "hunter2" not in str(info.value)
    limiter.close()
