"""The route modules. `extra_route_handlers` lists the ones added by later modules (auth,
admin, exports, privacy) so that app.py stays one list."""

from __future__ import annotations

import importlib
from typing import Any

# Modules whose `ROUTES` list joins the app when present.
OPTIONAL_MODULES = ("api.routes.auth", "api.routes.admin", "api.routes.exports",
                    "api.routes.privacy", "api.routes.search", "api.routes.webhooks",
                    "api.routes.notifications")


def extra_route_handlers() -> list[Any]:
    """The handlers of the optional route modules."""
    handlers: list[Any] = []
    for name in OPTIONAL_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue
        handlers.extend(module.ROUTES)
    return handlers
