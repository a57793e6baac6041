"""The API's command-line entry points, called by `kanta-docs serve` and `kanta-docs user add`
(kanta_docs/cli.py is the composition root; this keeps the API's imports out of it)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from api.auth.passwords import hash_password, password_problems
from kanta_docs.config import Settings
from kanta_docs.errors import InvalidInput
from kanta_docs.schedule import EmbeddedScheduler
from kanta_docs.store.db import upgrade
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import Firm, User, UserRole, utc_now
from kanta_docs.tasks import build_runtime


def serve(settings: Settings, host: str, port: int) -> None:
    """Migrate the store, then serve the API with uvicorn until interrupted."""
    import uvicorn

    from api.app import create_app
    from api.context import build_context

    upgrade(settings.resolved_database_url)
    ctx = build_context(settings)
    app = create_app(ctx)
    # Embedded defaults: no Celery beat, so the periodic tasks run from this process.
    scheduler = (EmbeddedScheduler(ctx.runtime.queue) if settings.broker_url == "memory"
                 else None)
    if scheduler is not None:
        scheduler.start()
    try:
        # One process: the embedded queue, the in-memory limiter and SQLite want a single
        # writer. Several `serve` behind a proxy need Redis and PostgreSQL configured.
        uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False,
                    server_header=False)
    finally:
        if scheduler is not None:
            scheduler.stop()


def add_user(settings: Settings, firm_name: str, email: str, display_name: str, role: str,
             password: str) -> uuid.UUID:
    """Create a user (and the firm on first use) with a policy-checked password. The user
    enrols MFA at first login. This is how the first admin of a firm is made."""
    problems = password_problems(password, email=email, display_name=display_name)
    if problems:
        raise InvalidInput("password refused: " + " ".join(problems))
    try:
        user_role = UserRole(role)
    except ValueError:
        raise InvalidInput(f"unknown role {role!r}: admin, compliance_officer or "
                           "collaborator") from None
    upgrade(settings.resolved_database_url)
    runtime = build_runtime(settings, queue_factory="memory")
    with runtime.sessions.begin() as db:
        if db.scalar(select(User.id).where(User.email == email.strip().lower())) is not None:
            raise InvalidInput(f"a user with the e-mail {email} already exists")
        firm = db.scalar(select(Firm).where(Firm.name == firm_name))
        if firm is None:
            firm = Firm(name=firm_name, settings={}, created_at=utc_now())
            db.add(firm)
            db.flush()
        scope = FirmScope(db, firm.id)
        user = scope.add_user(email.strip().lower(), display_name, user_role)
        user.password_hash = hash_password(password)
        user.password_changed_at = utc_now()
        scope.append_audit("cli", "user.create", "user", str(user.id), {"role": role})
        return user.id
