"""The dependencies handlers ask for by name: `ctx`, `db`, `principal`, `store`, `page`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide
from sqlalchemy.orm import Session

from api.context import ApiContext
from api.errors import not_found
from api.pagination import provide_page
from api.security import Principal, unauthenticated
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import Firm

AFTER_COMMIT = "kanta_after_commit"


def provide_ctx(state: State) -> ApiContext:
    """The app's context."""
    ctx: ApiContext = state.ctx
    return ctx


def provide_db(ctx: ApiContext) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back when it
    raises, so a change, its audit event and its outbox event land together or not at all.
    Tasks queued with `queue_after_commit` go to the queue once the commit succeeded (a worker
    must find the rows it is given)."""
    with ctx.runtime.sessions.begin() as session:
        session.info[AFTER_COMMIT] = []
        yield session
        pending = session.info.pop(AFTER_COMMIT)
    for task, args in pending:
        ctx.runtime.queue.submit(task, *args)


def queue_after_commit(session: Session, task: str, *args: str) -> None:
    """Queue `task` when the request's transaction has committed (dropped if it rolls back)."""
    pending: list[tuple[str, tuple[str, ...]]] = session.info[AFTER_COMMIT]
    if (task, args) not in pending:
        pending.append((task, args))


def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    """The authenticated caller (the middleware put it there)."""
    user = request.scope.get("user")
    if not isinstance(user, Principal):
        raise unauthenticated()
    return user


def provide_address(request: Request[Any, Any, Any]) -> str | None:
    """The caller's address, for the audit log."""
    return request.client.host if request.client else None


def provide_store(principal: Principal, db: Session) -> FirmScope:
    """The store narrowed to the caller's firm and, for collaborators, their dossiers."""
    return principal.scope(db)


DEPENDENCIES = {
    "ctx": Provide(provide_ctx, sync_to_thread=False),
    "db": Provide(provide_db),
    "principal": Provide(provide_principal, sync_to_thread=False),
    "store": Provide(provide_store, sync_to_thread=False),
    "address": Provide(provide_address, sync_to_thread=False),
    "page": Provide(provide_page, sync_to_thread=False),
}


def caller_firm(store: FirmScope) -> Firm:
    """The caller's own firm; 404 if it was deleted under a live session."""
    firm = store.firm()
    if firm is None:
        raise not_found("Cabinet")
    return firm
