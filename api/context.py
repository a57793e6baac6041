"""What every request handler needs, built once when the app starts (the API's composition root).

Handlers receive it through the `ctx` dependency; nothing reads settings or the environment later.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from api.auth.secret_box import SecretBox, derive_key, key_from_hex, load_or_create_key
from api.auth.throttle import Limiter, LoginThrottle, MemoryLimiter, RateLimit, RedisLimiter
from indexers.contract import SearchIndex
from kanta_docs.config import Settings
from kanta_docs.store.tables import utc_now
from kanta_docs.tasks import Runtime, build_runtime


class ApiContext:
    """Settings, the service runtime (store, blobs, queue) and the security machinery.

    A plain class, not a dataclass: Litestar inspects the fields of dataclass parameters, and
    this one is an opaque dependency.
    """

    def __init__(self, *, settings: Settings, runtime: Runtime, token_key: bytes,
                 totp_box: SecretBox, limiter: Limiter, login_throttle: LoginThrottle,
                 rate_limit: RateLimit, clock: Callable[[], datetime] = utc_now) -> None:
        self.settings = settings
        self.runtime = runtime
        self.token_key = token_key  # signs JWTs
        self.totp_box = totp_box  # encrypts TOTP secrets at rest
        self.limiter = limiter
        self.login_throttle = login_throttle
        self.rate_limit = rate_limit
        self.clock = clock

    def search_index(self) -> SearchIndex:
        """The search backend, shared with this process's tasks (the runtime opens it)."""
        return self.runtime.search_index()


def master_key(settings: Settings) -> bytes:
    """KANTA_SECRET_KEY when set, else the key generated once under the home folder."""
    if settings.secret_key:
        return key_from_hex(settings.secret_key)
    return load_or_create_key(settings.secret_key_file)


def build_context(settings: Settings, runtime: Runtime | None = None,
                  limiter: Limiter | None = None) -> ApiContext:
    """The context for `settings`: Redis counters when KANTA_REDIS_URL is set, else in memory."""
    master = master_key(settings)
    if limiter is None:
        limiter = (RedisLimiter(settings.redis_url, "kanta:limits:") if settings.redis_url
                   else MemoryLimiter())
    return ApiContext(
        settings=settings,
        runtime=runtime if runtime is not None else build_runtime(settings),
        token_key=derive_key(master, "jwt-signing"),
        totp_box=SecretBox(derive_key(master, "totp-secrets")),
        limiter=limiter,
        login_throttle=LoginThrottle(limiter, hash_key=derive_key(master, "login-throttle")),
        rate_limit=RateLimit(limiter, settings.rate_limit_per_minute),
    )
