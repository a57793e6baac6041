"""Rate limiting and login lockout.

Counters are fixed windows: the first hit on a key opens a window of `window_s` seconds and
every hit in it counts; the window and its count vanish together. `RedisLimiter` shares the
counters between API processes; `MemoryLimiter` serves the embedded single-process deployment
and the unit tests. Both give the same answers.

Semantics shared by every `Limiter`:
- `hit` counts the hit (refused ones too) and allows it while the count is <= `limit`.
- `peek` counts nothing and tells whether one more hit would be allowed (count < `limit`).
- When refused, `retry_after_s` is the whole seconds (>= 1) until the window ends.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit, urlunsplit

import redis
import redis.exceptions

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(frozen=True)
class Decision:
    """The answer of a limiter: go ahead, or wait `retry_after_s` seconds (0 when allowed)."""

    allowed: bool
    retry_after_s: int


class LimiterUnavailable(RuntimeError):
    """The limiter's store (Redis) cannot be reached. Callers decide: refuse (fail closed,
    HTTP 503) for logins, which is the safe choice."""


class Limiter(Protocol):
    """Counts hits per key in fixed windows (see the module doc for the exact semantics)."""

    def hit(self, key: str, limit: int, window_s: int) -> Decision:
        """Count one hit on `key`; allowed while the window's count is <= `limit`."""
        ...

    def peek(self, key: str, limit: int, window_s: int) -> Decision:
        """Tell, without counting, whether one more hit on `key` would be allowed."""
        ...

    def reset(self, key: str) -> None:
        """Forget `key`'s count and window."""
        ...


def _check_args(limit: int, window_s: int) -> None:
    if limit < 0:
        raise ValueError("limit must not be negative")
    if window_s <= 0:
        raise ValueError("window_s must be positive")


def _retry_after(remaining_s: float) -> int:
    return max(1, math.ceil(remaining_s))


class MemoryLimiter:
    """In-process fixed-window limiter; thread-safe. `clock` (seconds, monotonic) is injectable
    for tests."""

    # Expired windows are dropped every this many calls, so unused keys do not pile up.
    _SWEEP_EVERY = 1024

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, float]] = {}  # key -> (count, window end)
        self._calls = 0

    def _current(self, key: str, now: float) -> tuple[int, float] | None:
        """The key's live window, dropping it if it has ended. Call with the lock held."""
        self._calls += 1
        if self._calls % self._SWEEP_EVERY == 0:
            self._windows = {k: w for k, w in self._windows.items() if w[1] > now}
        window = self._windows.get(key)
        if window is not None and window[1] <= now:
            del self._windows[key]
            return None
        return window

    def hit(self, key: str, limit: int, window_s: int) -> Decision:
        """Count one hit on `key`; allowed while the window's count is <= `limit`."""
        _check_args(limit, window_s)
        with self._lock:
            now = self._clock()
            window = self._current(key, now)
            count, ends = (1, now + window_s) if window is None else (window[0] + 1, window[1])
            self._windows[key] = (count, ends)
        if count <= limit:
            return Decision(True, 0)
        return Decision(False, _retry_after(ends - now))

    def peek(self, key: str, limit: int, window_s: int) -> Decision:
        """Tell, without counting, whether one more hit on `key` would be allowed."""
        _check_args(limit, window_s)
        with self._lock:
            now = self._clock()
            window = self._current(key, now)
        count, ends = (0, now + window_s) if window is None else window
        if count < limit:
            return Decision(True, 0)
        return Decision(False, _retry_after(ends - now))

    def reset(self, key: str) -> None:
        """Forget `key`'s count and window."""
        with self._lock:
            self._windows.pop(key, None)


# INCR and the expiry in one script: Redis runs it atomically, so no hit can find a counter
# without its expiry (which would then never end). A counter without expiry (PTTL -1, left by
# anything else) gets one too.
_HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""
_PEEK_SCRIPT = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
return {count, ttl}
"""


def _safe_url(url: str) -> str:
    """The URL without its password, for error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


class RedisLimiter:
    """Fixed-window limiter on Redis, shared by every API process.

    Keys are stored as "<prefix>:<key>". Every Redis failure (down, timeout, auth) raises
    `LimiterUnavailable`.
    """

    def __init__(self, url: str, prefix: str, *, timeout_s: float = 2.0) -> None:
        if not prefix:
            raise ValueError("prefix must not be empty")
        self._prefix = prefix.rstrip(":")
        self._where = _safe_url(url)
        # Short timeouts: a login must not hang on a dead Redis.
        self._redis = redis.Redis.from_url(url, socket_timeout=timeout_s,
                                           socket_connect_timeout=timeout_s)
        self._hit = self._redis.register_script(_HIT_SCRIPT)
        self._peek = self._redis.register_script(_PEEK_SCRIPT)

    def __repr__(self) -> str:
        return f"RedisLimiter({self._where!r}, prefix={self._prefix!r})"

    def _key(self, key: str) -> str:
        return f"{self._prefix}:{key}"

    def _unavailable(self, exc: redis.exceptions.RedisError) -> LimiterUnavailable:
        return LimiterUnavailable(f"rate limiter store unavailable at {self._where}: {exc}")

    def _run(self, script: redis.commands.core.Script, key: str,
             args: list[int]) -> tuple[int, int]:
        try:
            count, ttl_ms = script(keys=[self._key(key)], args=args)
        except redis.exceptions.RedisError as exc:
            raise self._unavailable(exc) from exc
        return int(count), int(ttl_ms)

    def hit(self, key: str, limit: int, window_s: int) -> Decision:
        """Count one hit on `key`; allowed while the window's count is <= `limit`."""
        _check_args(limit, window_s)
        count, ttl_ms = self._run(self._hit, key, [window_s * 1000])
        if count <= limit:
            return Decision(True, 0)
        return Decision(False, _retry_after(ttl_ms / 1000))

    def peek(self, key: str, limit: int, window_s: int) -> Decision:
        """Tell, without counting, whether one more hit on `key` would be allowed."""
        _check_args(limit, window_s)
        count, ttl_ms = self._run(self._peek, key, [])
        if count < limit:
            return Decision(True, 0)
        # ttl_ms < 0: a counter left without expiry; report the whole window.
        return Decision(False, _retry_after(ttl_ms / 1000 if ttl_ms > 0 else window_s))

    def reset(self, key: str) -> None:
        """Forget `key`'s count and window."""
        try:
            self._redis.delete(self._key(key))
        except redis.exceptions.RedisError as exc:
            raise self._unavailable(exc) from exc

    def close(self) -> None:
        """Close the connection pool."""
        self._redis.close()


def _normalise_address(address: str) -> str:
    """An IPv6 client gets a whole /64 from its provider, so the /64 is what is limited."""
    text = address.strip().lower()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


class LoginThrottle:
    """Login lockout: per account and per client address.

    - 5 failures on an account within 15 min lock the account for 15 min;
    - 20 failures from an address within 15 min block the address for 15 min.

    Call `check` before verifying the password (and refuse without verifying while locked),
    `failed` after every refused login, even for an unknown e-mail (so that the answers do not
    reveal which accounts exist), and `succeeded` after a good one.

    Keys hold a hash of the e-mail / address, never the raw value. Give `hash_key` (e.g.
    `derive_key(master, "throttle")`) to make them HMACs, which cannot be reversed by hashing a
    list of known e-mails.
    """

    ACCOUNT_FAILURES = 5
    ADDRESS_FAILURES = 20
    WINDOW_S = 15 * 60
    LOCK_S = 15 * 60

    def __init__(self, limiter: Limiter, *, hash_key: bytes | None = None) -> None:
        self._limiter = limiter
        self._hash_key = hash_key

    def _digest(self, text: str) -> str:
        data = text.encode("utf-8")
        if self._hash_key is None:
            return hashlib.sha256(data).hexdigest()
        return hmac.new(self._hash_key, data, hashlib.sha256).hexdigest()

    def _account(self, email: str) -> str:
        return self._digest("email:" + email.strip().lower())

    def _address(self, address: str) -> str:
        return self._digest("address:" + _normalise_address(address))

    def check(self, email: str, address: str) -> Decision:
        """Tell whether a login may be tried now; counts nothing."""
        account, addr = self._account(email), self._address(address)
        refusals = [d for d in (
            self._limiter.peek(f"login:lock:acct:{account}", 1, self.LOCK_S),
            self._limiter.peek(f"login:lock:addr:{addr}", 1, self.LOCK_S),
        ) if not d.allowed]
        if not refusals:
            return Decision(True, 0)
        return Decision(False, max(d.retry_after_s for d in refusals))

    def failed(self, email: str, address: str) -> None:
        """Record a refused login; locks the account / blocks the address at the threshold."""
        self._count_failure(f"acct:{self._account(email)}", self.ACCOUNT_FAILURES)
        self._count_failure(f"addr:{self._address(address)}", self.ADDRESS_FAILURES)

    def _count_failure(self, subject: str, threshold: int) -> None:
        # The threshold-th failure is the first one over threshold - 1.
        if self._limiter.hit(f"login:fail:{subject}", threshold - 1, self.WINDOW_S).allowed:
            return
        # A lock is a window of its own, so it lasts LOCK_S from the failure that set it.
        self._limiter.hit(f"login:lock:{subject}", 0, self.LOCK_S)
        self._limiter.reset(f"login:fail:{subject}")

    def succeeded(self, email: str) -> None:
        """Clear the account's failure count after a successful login."""
        self._limiter.reset(f"login:fail:acct:{self._account(email)}")

    def reset(self, email: str) -> None:
        """Unlock an account (administrator action) and clear its failures."""
        account = self._account(email)
        self._limiter.reset(f"login:lock:acct:{account}")
        self._limiter.reset(f"login:fail:acct:{account}")


class RateLimit:
    """Requests per minute per subject ("user:<id>", "key:<id>")."""

    def __init__(self, limiter: Limiter, per_minute: int) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be positive")
        self._limiter = limiter
        self._per_minute = per_minute

    def hit(self, subject: str) -> Decision:
        """Count one request of `subject`; refused past `per_minute` in the current minute."""
        return self._limiter.hit(f"rate:{subject}", self._per_minute, 60)
