"""The application factory.

``create_app(config)`` builds the Flask server and the Dash app around it.  Nothing is
created at import time, and importing ``dashboard.settings`` or ``dashboard.cli`` does
not pull in the web stack: tests build as many apps as they like, each with its own
database.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dash import Dash

ASSETS = Path(__file__).resolve().parent / "assets"


def serving(app: Dash) -> Dash:
    """``app`` about to serve for the rest of the process (gunicorn's workers, the
    development server): what was made at start (modules, the app, its layouts
    and callbacks: some 250,000 objects) is moved out of the garbage collector's
    sight (``gc.freeze``), so that a full collection during a request does not
    walk it.  Not in ``create_app``: tests build many apps in one process."""
    gc.collect()
    gc.freeze()
    return app


def create_app(config: Mapping[str, Any] | None = None) -> Dash:
    """Build the Dash app; ``config`` overrides environment variables and defaults."""
    from dash import Dash
    from flask import Flask

    from callbacks import (
        context,
        deck_job,
        map_print,
        register_callbacks,
        table_export,
    )
    from dashboard import (
        auth,
        import_large,
        import_template,
        jobs,
        pages,
        report_template,
        routes,
        settings,
        static_files,
    )
    from dashboard.extensions import (
        cache_config,
        init_headers,
        init_limiter,
        init_static,
        shared,
    )

    conf = settings.load(config)
    server = Flask(__name__, instance_path=conf["INSTANCE_PATH"])
    server.config.update(conf)
    server.secret_key = settings.secret_key(conf)
    if conf["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(conf["PROXY_HOPS"])
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    cached = cache_config(conf)
    context.init_app(server, cached, settings.province_codes(conf))
    auth.init_app(server, init_limiter(server))
    routes.init_app(server)
    table_export.init_app(server)
    map_print.init_app(server)
    report_template.init_app(server)
    import_template.init_app(server)
    import_large.init_app(server)
    deck_job.init_app(server)
    queue = jobs.JobQueue(conf)  # run by worker processes
    server.extensions["job_queue"] = queue
    if conf["CACHE_WARM"] and shared(cached):  # a worker fills the web's cache
        context.init_warming(server, queue.warm_soon)

    # Dash's annotations omit what its documentation allows: a Flask instance as
    # the server, and None for no "Updating..." title.
    app = Dash(
        __name__,
        server=server,  # type: ignore[arg-type]
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        serve_locally=True,
        suppress_callback_exceptions=True,
        update_title=None,  # type: ignore[arg-type]
        title="Bảo vệ, chăm sóc trẻ em",
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"}
        ],
    )
    pages.register(app)
    register_callbacks(app)
    init_headers(server, app)
    init_static(server)
    static_files.init_app(app, conf)
    return app
