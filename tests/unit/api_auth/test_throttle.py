from __future__ import annotations

import threading

import pytest

from api.auth.throttle import Decision, Limiter, LoginThrottle, MemoryLimiter, RateLimit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limiter(clock: Clock) -> MemoryLimiter:
    return MemoryLimiter(clock=clock)


def test_memory_limiter_satisfies_the_protocol(limiter: MemoryLimiter) -> None:
    as_protocol: Limiter = limiter
    assert as_protocol.hit("k", 1, 1).allowed


def test_fixed_window(limiter: MemoryLimiter, clock: Clock) -> None:
    assert [limiter.hit("k", 3, 60).allowed for _ in range(3)] == [True] * 3
    assert limiter.hit("k", 3, 60) == Decision(False, 60)
    clock.advance(45.5)
    assert limiter.hit("k", 3, 60) == Decision(False, 15)  # rounded up
    clock.advance(14.4)
    assert limiter.hit("k", 3, 60) == Decision(False, 1)  # never 0 when refused
    clock.advance(0.1)  # the window has ended
    assert limiter.hit("k", 3, 60) == Decision(True, 0)


def test_keys_are_independent(limiter: MemoryLimiter) -> None:
    assert not [limiter.hit("a", 0, 60) for _ in range(2)][-1].allowed
    assert limiter.hit("b", 1, 60).allowed


def test_peek_does_not_count(limiter: MemoryLimiter, clock: Clock) -> None:
    assert limiter.peek("k", 2, 60) == Decision(True, 0)
    limiter.hit("k", 2, 60)
    for _ in range(5):
        assert limiter.peek("k", 2, 60) == Decision(True, 0)
    limiter.hit("k", 2, 60)
    clock.advance(10)
    # Two hits used the two allowed: a third would be refused.
    assert limiter.peek("k", 2, 60) == Decision(False, 50)
    clock.advance(50)
    assert limiter.peek("k", 2, 60) == Decision(True, 0)


def test_peek_with_limit_zero_refuses_even_an_unseen_key(limiter: MemoryLimiter) -> None:
    assert limiter.peek("unseen", 0, 60) == Decision(False, 60)


def test_reset(limiter: MemoryLimiter) -> None:
    for _ in range(3):
        limiter.hit("k", 1, 60)
    limiter.reset("k")
    limiter.reset("never-seen")
    assert limiter.hit("k", 1, 60).allowed


def test_arguments_are_checked(limiter: MemoryLimiter) -> None:
    with pytest.raises(ValueError):
        limiter.hit("k", -1, 60)
    with pytest.raises(ValueError):
        limiter.peek("k", 1, 0)


def test_expired_windows_are_swept(limiter: MemoryLimiter, clock: Clock) -> None:
    for i in range(2000):
        limiter.hit(f"k{i}", 1, 1)
    clock.advance(2)
    for _ in range(1024):
        limiter.peek("x", 1, 1)
    assert len(limiter._windows) == 0


def test_memory_limiter_is_thread_safe() -> None:
    limiter = MemoryLimiter()
    allowed: list[bool] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def work() -> None:
        barrier.wait()
        results = [limiter.hit("shared", 1000, 60).allowed for _ in range(500)]
        with lock:
            allowed.extend(results)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert allowed.count(True) == 1000 and allowed.count(False) == 1000


def test_account_locks_after_five_failures_for_fifteen_minutes(
        limiter: MemoryLimiter, clock: Clock) -> None:
    throttle = LoginThrottle(limiter)
    for i in range(4):
        throttle.failed("Claire@Cabinet.fr", f"10.0.0.{i}")
        assert throttle.check("claire@cabinet.fr", "10.0.0.99").allowed
    clock.advance(14 * 60)  # the fifth failure comes late in the window...
    throttle.failed("claire@cabinet.fr ", "10.0.0.5")
    decision = throttle.check("CLAIRE@cabinet.fr", "192.0.2.1")
    assert decision == Decision(False, 15 * 60)  # ...and still locks for 15 minutes from now
    assert throttle.check("other@cabinet.fr", "10.0.0.5").allowed
    clock.advance(15 * 60 - 1)
    assert throttle.check("claire@cabinet.fr", "192.0.2.1") == Decision(False, 1)
    clock.advance(1)
    assert throttle.check("claire@cabinet.fr", "192.0.2.1").allowed
    # After the lock, the count starts again from zero.
    throttle.failed("claire@cabinet.fr", "10.0.0.1")
    assert throttle.check("claire@cabinet.fr", "10.0.0.1").allowed


def test_failures_outside_the_window_do_not_add_up(limiter: MemoryLimiter, clock: Clock) -> None:
    throttle = LoginThrottle(limiter)
    for _ in range(4):
        throttle.failed("a@b.fr", "10.0.0.1")
    clock.advance(15 * 60)
    for _ in range(4):
        throttle.failed("a@b.fr", "10.0.0.1")
    assert throttle.check("a@b.fr", "10.0.0.1").allowed


def test_success_clears_the_account_count(limiter: MemoryLimiter) -> None:
    throttle = LoginThrottle(limiter)
    for _ in range(4):
        throttle.failed("a@b.fr", "10.0.0.1")
    throttle.succeeded("A@B.FR")
    for _ in range(4):
        throttle.failed("a@b.fr", "10.0.0.1")
    assert throttle.check("a@b.fr", "10.0.0.1").allowed


def test_admin_reset_unlocks(limiter: MemoryLimiter) -> None:
    throttle = LoginThrottle(limiter)
    for _ in range(5):
        throttle.failed("a@b.fr", "10.0.0.1")
    assert not throttle.check("a@b.fr", "10.0.0.2").allowed
    throttle.reset("a@b.fr")
    assert throttle.check("a@b.fr", "10.0.0.2").allowed


def test_address_blocked_after_twenty_failures(limiter: MemoryLimiter, clock: Clock) -> None:
    throttle = LoginThrottle(limiter)
    for i in range(19):
        throttle.failed(f"user{i}@b.fr", "203.0.113.7")  # spraying many accounts
    assert throttle.check("new@b.fr", "203.0.113.7").allowed
    throttle.failed("user19@b.fr", "203.0.113.7")
    assert throttle.check("new@b.fr", "203.0.113.7") == Decision(False, 15 * 60)
    assert throttle.check("new@b.fr", "203.0.113.8").allowed
    clock.advance(15 * 60)
    assert throttle.check("new@b.fr", "203.0.113.7").allowed


def test_ipv6_addresses_are_limited_per_64(limiter: MemoryLimiter) -> None:
    throttle = LoginThrottle(limiter)
    for i in range(20):
        throttle.failed(f"u{i}@b.fr", f"2001:db8:1:2::{i + 1:x}")
    assert not throttle.check("new@b.fr", "2001:db8:1:2:ffff::1").allowed
    assert throttle.check("new@b.fr", "2001:db8:1:3::1").allowed
    # An IPv4-mapped address is the IPv4 address.
    for i in range(20):
        throttle.failed(f"v{i}@b.fr", "::ffff:198.51.100.9")
    assert not throttle.check("new@b.fr", "198.51.100.9").allowed


def test_raw_emails_and_addresses_are_not_stored(limiter: MemoryLimiter) -> None:
    throttle = LoginThrottle(limiter)
    throttle.failed("claire@cabinet.fr", "203.0.113.7")
    keys = " ".join(limiter._windows)
    assert "claire" not in keys and "203.0.113" not in keys


def test_hash_key_changes_the_stored_keys(clock: Clock) -> None:
    plain, keyed = MemoryLimiter(clock=clock), MemoryLimiter(clock=clock)
    LoginThrottle(plain).failed("a@b.fr", "10.0.0.1")
    LoginThrottle(keyed, hash_key=b"s" * 32).failed("a@b.fr", "10.0.0.1")
    assert set(plain._windows).isdisjoint(keyed._windows)


def test_rate_limit_per_minute(limiter: MemoryLimiter, clock: Clock) -> None:
    rate = RateLimit(limiter, per_minute=3)
    assert [rate.hit("user:1").allowed for _ in range(4)] == [True, True, True, False]
    assert rate.hit("key:1").allowed
    clock.advance(60)
    assert rate.hit("user:1").allowed
    with pytest.raises(ValueError):
        RateLimit(limiter, per_minute=0)
