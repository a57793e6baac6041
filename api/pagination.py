"""Every list answers one page: `items`, `total`, `limit`, `offset` (`?limit=&offset=`)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from litestar.params import Parameter
from msgspec import Struct
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
MAX_LIMIT = 200


class Page(Struct, Generic[T]):
    """One page of a list."""

    items: list[T]
    total: int
    limit: int
    offset: int


class PageParams(Struct):
    """The page a caller asks for."""

    limit: int
    offset: int


def provide_page(
    limit: int = Parameter(default=50, ge=1, le=MAX_LIMIT, description="items per page"),
    offset: int = Parameter(default=0, ge=0, le=1_000_000, description="items to skip"),
) -> PageParams:
    """The `page` dependency: validated limit and offset."""
    return PageParams(limit, offset)


def fetch_page(db: Session, query: Select[Any], page: PageParams) -> tuple[list[Any], int]:
    """The rows of one page of `query` (which must be ordered) and the total count."""
    total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(db.scalars(query.limit(page.limit).offset(page.offset)))
    return rows, int(total)
