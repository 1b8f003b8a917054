"""The query and HTTP capture pass: every SQL statement and HTTP request one operation makes,
with the call site in the project. Hooks exist only for the libraries the program imported:

- SQLAlchemy: ``before_cursor_execute`` / ``after_cursor_execute`` on every Engine (the statement
  as sent to the driver, and its time);
- sqlite3: ``set_trace_callback`` on every connection opened since the plugin loaded (statements
  that SQLAlchemy already reported are not counted twice);
- psycopg2: connections opened through ``psycopg2.connect`` get a cursor subclass that reports
  ``execute``/``executemany``; psycopg (3): ``Cursor.execute``/``executemany`` while the pass runs;
- HTTP: ``http.client.HTTPConnection.putrequest`` (urllib.request, urllib3, requests) and
  ``httpx.Client.send`` / ``AsyncClient.send`` while the pass runs.

Statements are recorded raw; perfgate normalises and fingerprints them (src/queries/fingerprint.ts).
"""
from __future__ import annotations

import sys
import threading
import time
import weakref

from . import hooks
from .paths import Paths

# Distinct (statement, call site) entries kept per benchmark; later ones are only counted.
MAX_ENTRIES = 5000
MAX_TEXT = 4000


class Recorder:
    """Statements of the current pass, aggregated by (kind, driver, text, call site)."""

    def __init__(self, paths: Paths, iterations: int) -> None:
        self.paths = paths
        self.iterations = iterations
        self.iteration = 0
        self.entries: dict[tuple, dict] = {}
        self.dropped = 0
        self._local = threading.local()

    # SQLAlchemy wraps the DB-API call: the driver-level hooks stay silent inside it.
    def enter_orm(self) -> None:
        self._local.depth = getattr(self._local, "depth", 0) + 1

    def leave_orm(self) -> None:
        self._local.depth = max(0, getattr(self._local, "depth", 0) - 1)

    def inside_orm(self) -> bool:
        return getattr(self._local, "depth", 0) > 0

    def record(
        self, kind: str, driver: str, text, dialect: str | None, frame, paramstyle: str | None = None
    ) -> dict | None:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        text = str(text).strip()
        if len(text) > MAX_TEXT:
            text = text[:MAX_TEXT]
        site = self.paths.call_site(frame)
        key = (kind, driver, text, site and (site["file"], site["line"], site["function"]))
        entry = self.entries.get(key)
        if entry is None:
            if len(self.entries) >= MAX_ENTRIES:
                self.dropped += 1
                return None
            entry = {
                "kind": kind,
                "driver": driver,
                "statement": text,
                "counts": [0] * self.iterations,
            }
            if dialect:
                entry["dialect"] = dialect
            if paramstyle:
                entry["paramstyle"] = paramstyle
            if site:
                entry["callSite"] = site
            self.entries[key] = entry
        entry["counts"][self.iteration] += 1
        return entry

    def result(self) -> dict:
        return {
            "iterations": self.iterations,
            "statements": list(self.entries.values()),
            **({"dropped": self.dropped} if self.dropped else {}),
        }


_active: Recorder | None = None


def active() -> Recorder | None:
    return _active


# --- SQLAlchemy -------------------------------------------------------------------------------

_SA_DIALECTS = {"sqlite": "sqlite", "postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql"}


def _sa_before(conn, cursor, statement, parameters, context, executemany):
    recorder = _active
    if recorder is None:
        return
    dialect = conn.engine.dialect
    entry = recorder.record(
        "sql",
        "sqlalchemy/" + str(getattr(dialect, "driver", dialect.name)),
        statement,
        _SA_DIALECTS.get(dialect.name),
        sys._getframe(1),
        getattr(dialect, "paramstyle", None),
    )
    recorder.enter_orm()
    stack = conn.info.setdefault("perfgate_timers", [])
    stack.append((entry, time.perf_counter()))


def _sa_after(conn, cursor, statement, parameters, context, executemany):
    recorder = _active
    stack = conn.info.get("perfgate_timers")
    if recorder is None or not stack:
        return
    entry, start = stack.pop()
    recorder.leave_orm()
    if entry is not None:
        entry["timeMs"] = entry.get("timeMs", 0.0) + (time.perf_counter() - start) * 1000


def _sa_error(context):
    # A failed statement never reaches after_cursor_execute: unwind its timer.
    recorder = _active
    conn = getattr(context, "connection", None)
    stack = conn.info.get("perfgate_timers") if conn is not None else None
    if recorder is not None and stack:
        stack.pop()
        recorder.leave_orm()


def _install_sqlalchemy() -> list:
    if "sqlalchemy" not in sys.modules:
        return []
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "before_cursor_execute", _sa_before)
    event.listen(Engine, "after_cursor_execute", _sa_after)
    event.listen(Engine, "handle_error", _sa_error)

    def remove():
        event.remove(Engine, "before_cursor_execute", _sa_before)
        event.remove(Engine, "after_cursor_execute", _sa_after)
        event.remove(Engine, "handle_error", _sa_error)

    return [remove]


# --- sqlite3 ----------------------------------------------------------------------------------

_sqlite_connections: "weakref.WeakSet" = weakref.WeakSet()


def _sqlite_trace(statement: str) -> None:
    recorder = _active
    if recorder is None or recorder.inside_orm():
        return
    # The trace callback sees statements with their values bound: no placeholders.
    recorder.record("sql", "sqlite3", statement, "sqlite", sys._getframe(1))


def patch_sqlite3(module) -> None:
    """Wraps ``sqlite3.connect`` so that connections can be traced later (weakly held)."""
    if getattr(module.connect, "_perfgate", False):
        return
    original = module.connect

    class TracedConnection(module.Connection):
        """A plain sqlite3.Connection that perfgate can find again (it allows weak references)."""

    def connect(*args, **kwargs):
        if len(args) < 6 and "factory" not in kwargs:
            kwargs["factory"] = TracedConnection
        connection = original(*args, **kwargs)
        try:
            _sqlite_connections.add(connection)
        except TypeError:  # a factory of the caller's own without weak references
            pass
        return connection

    connect._perfgate = True  # type: ignore[attr-defined]
    connect.__wrapped__ = original  # type: ignore[attr-defined]
    module.connect = connect
    dbapi2 = sys.modules.get("sqlite3.dbapi2")
    if dbapi2 is not None and getattr(dbapi2, "connect", None) is original:
        dbapi2.connect = connect


def _install_sqlite3() -> list:
    connections = list(_sqlite_connections)
    for connection in connections:
        try:
            connection.set_trace_callback(_sqlite_trace)
        except Exception:  # closed connection
            pass

    def remove():
        for connection in connections:
            try:
                connection.set_trace_callback(None)
            except Exception:
                pass

    return [remove]


# --- psycopg2 / psycopg -----------------------------------------------------------------------

_psycopg2_cursors: dict = {}


def _traced_psycopg2_cursor(base):
    traced = _psycopg2_cursors.get(base)
    if traced is None:

        def execute(self, query, vars=None):
            recorder = _active
            if recorder is not None and not recorder.inside_orm():
                recorder.record("sql", "psycopg2", query, "postgres", sys._getframe(1), "pyformat")
            return base.execute(self, query, vars)

        def executemany(self, query, vars_list):
            recorder = _active
            if recorder is not None and not recorder.inside_orm():
                recorder.record("sql", "psycopg2", query, "postgres", sys._getframe(1), "pyformat")
            return base.executemany(self, query, vars_list)

        traced = type(base.__name__, (base,), {"execute": execute, "executemany": executemany})
        _psycopg2_cursors[base] = traced
    return traced


def patch_psycopg2(module) -> None:
    """Connections opened through ``psycopg2.connect`` hand out reporting cursors."""
    if getattr(module.connect, "_perfgate", False):
        return
    extensions = sys.modules.get("psycopg2.extensions")
    if extensions is None:
        import psycopg2.extensions as extensions  # noqa: F811
    original = module.connect

    class TracedConnection(extensions.connection):
        def cursor(self, *args, **kwargs):
            factory = kwargs.get("cursor_factory") or self.cursor_factory or extensions.cursor
            kwargs["cursor_factory"] = _traced_psycopg2_cursor(factory)
            return super().cursor(*args, **kwargs)

    def connect(dsn=None, connection_factory=None, cursor_factory=None, **kwargs):
        return original(
            dsn,
            connection_factory=connection_factory or TracedConnection,
            cursor_factory=cursor_factory,
            **kwargs,
        )

    connect._perfgate = True  # type: ignore[attr-defined]
    connect.__wrapped__ = original  # type: ignore[attr-defined]
    module.connect = connect


def _patch_method(cls, name: str, make) -> list:
    original = cls.__dict__.get(name)
    if original is None:
        return []
    setattr(cls, name, make(original))
    return [lambda: setattr(cls, name, original)]


def _install_psycopg() -> list:
    psycopg = sys.modules.get("psycopg")
    if psycopg is None:
        return []

    def make(original):
        def wrapper(self, query, *args, **kwargs):
            recorder = _active
            if recorder is not None and not recorder.inside_orm():
                text = query.as_string(self) if hasattr(query, "as_string") else query
                recorder.record("sql", "psycopg", text, "postgres", sys._getframe(1), "pyformat")
            return original(self, query, *args, **kwargs)

        return wrapper

    removers: list = []
    for cls_name in ("Cursor", "AsyncCursor", "ClientCursor", "AsyncClientCursor"):
        cls = getattr(psycopg, cls_name, None)
        if cls is None:
            continue
        for method in ("execute", "executemany"):
            removers += _patch_method(cls, method, make)
    return removers


# --- HTTP -------------------------------------------------------------------------------------


def _http_driver(frame) -> str:
    """The library that made the request: the outermost HTTP library on the stack."""
    found = "http.client"
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        top = module.split(".", 1)[0]
        if top in ("requests", "urllib3", "httpx"):
            found = top
        elif top == "urllib" and found == "http.client":
            found = "urllib"
        frame = frame.f_back
    return found


def _install_http() -> list:
    removers: list = []
    import http.client

    def make_putrequest(original):
        def putrequest(self, method, url, *args, **kwargs):
            recorder = _active
            if recorder is not None:
                scheme = "https" if isinstance(self, http.client.HTTPSConnection) else "http"
                full = url if "://" in url else f"{scheme}://{self.host}:{self.port}{url}"
                frame = sys._getframe(1)
                recorder.record("http", _http_driver(frame), f"{method} {full}", None, frame)
            return original(self, method, url, *args, **kwargs)

        return putrequest

    removers += _patch_method(http.client.HTTPConnection, "putrequest", make_putrequest)

    httpx = sys.modules.get("httpx")
    if httpx is not None:

        def make_send(original):
            def send(self, request, *args, **kwargs):
                recorder = _active
                if recorder is not None:
                    recorder.record(
                        "http", "httpx", f"{request.method} {request.url}", None, sys._getframe(1)
                    )
                return original(self, request, *args, **kwargs)

            return send

        for cls_name in ("Client", "AsyncClient"):
            cls = getattr(httpx, cls_name, None)
            if cls is not None:
                removers += _patch_method(cls, "send", make_send)
    return removers


def run_capture(op, paths: Paths, iterations: int) -> dict:
    """Runs ``op`` ``iterations`` times with every available hook installed, then removes them."""
    global _active
    hooks.patch_imported()
    recorder = Recorder(paths, iterations)
    removers = _install_sqlalchemy() + _install_sqlite3() + _install_psycopg() + _install_http()
    try:
        for iteration in range(iterations):
            recorder.iteration = iteration
            args, kwargs = op.arguments()
            _active = recorder
            try:
                op.target(*args, **kwargs)
            finally:
                _active = None
    finally:
        for remove in reversed(removers):
            remove()
    return recorder.result()
