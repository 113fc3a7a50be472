"""Running a parser in a child process with a hard time limit.

pypdf and pdfplumber cannot be interrupted inside a page: a 24 KB one-page PDF with 8 MB of
text operators keeps them busy for close to a minute. So the parse of one document runs in
a child process that is killed (SIGKILL) when the document's time is up, or when it dies
itself the parent hears it at once; either way the parent goes on with the next document.

The children are forked by a fork server that has the parsers imported already (started on
the first call, once per process), so a document costs a fork (tens of milliseconds) instead
of a fresh interpreter with its imports (1-2 s), and no child inherits the threads of the
parent (the app's, torch's). What a child sends back (messages, the result) is JSON: the
child reads untrusted input, so nothing it sends can be code for the parent (the call itself
goes to the child the way multiprocessing sends it).
"""

from __future__ import annotations

import json
import multiprocessing
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

# Imported once in the fork server, so every child starts with them loaded; the first one
# stops multiprocessing from running the parent's main module again in every child.
PRELOAD = ["adviesqa.forkserver_preload", "adviesqa.readers", "adviesqa.tables", "pdfplumber"]

Emit = Callable[[Any], None]

_context_lock = threading.Lock()
_context: Any = None


class ChildTimeout(Exception):
    """The child was still busy when its time was up; it has been killed."""


class ChildFailed(Exception):
    """The child died (a crash, out of memory) or raised; the message says how, `kind`
    names the exception the child raised ("" when it died)."""

    def __init__(self, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.kind = kind


def _get_context() -> Any:
    global _context
    with _context_lock:
        if _context is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                server = multiprocessing.get_context("forkserver")
                server.set_forkserver_preload(PRELOAD)
                _context = server
            else:  # no fork server on this platform: a fresh interpreter per child
                _context = multiprocessing.get_context("spawn")
        return _context


def _send(conn: Connection, kind: str, payload: Any) -> None:
    # ASCII: a lone surrogate in extracted text travels as its escape instead of failing to encode
    conn.send_bytes(json.dumps([kind, payload]).encode("ascii"))


def _child(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...], with_emit: bool) -> None:
    try:
        if with_emit:
            result = fn(*args, emit=lambda message: _send(conn, "message", message))
        else:
            result = fn(*args)
        _send(conn, "result", result)
    except BaseException as exc:  # reported to the parent as text, never as a traceback on stderr
        lines = str(exc).strip().splitlines()
        _send(conn, "failed", [type(exc).__name__, lines[-1] if lines else ""])
    finally:
        conn.close()


def run_bounded(fn: Callable[..., Any], args: tuple[Any, ...], timeout: float, on_message: Emit | None = None) -> Any:
    """Call `fn(*args)` in a child process and return its result (JSON data: lists come
    back as lists). `fn` must be a module-level function. With `on_message`, `fn` is called
    with `emit=`, and what it emits arrives at `on_message` in the parent as it happens
    (progress, partial results). Raises ChildTimeout when `timeout` seconds pass first (the
    child is killed), ChildFailed when the child raises or dies."""
    if timeout <= 0:
        raise ChildTimeout
    ctx = _get_context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, fn, args, on_message is not None), daemon=True)
    deadline = time.monotonic() + timeout
    proc.start()
    sender.close()  # the child holds the only writer: its death closes the pipe
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not receiver.poll(left):
                raise ChildTimeout
            try:
                kind, payload = json.loads(receiver.recv_bytes())
            except (EOFError, OSError):
                proc.join(1.0)
                raise ChildFailed(_death(proc.exitcode)) from None
            if kind == "message":
                if on_message is not None:
                    on_message(payload)
            elif kind == "result":
                return payload
            else:
                raise ChildFailed(payload[1], kind=payload[0])
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        receiver.close()
        proc.close()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the reader process was stopped by {name}" + (" (out of memory?)" if name == "SIGKILL" else "")
    return f"the reader process ended unexpectedly (exit code {exitcode})"


__all__ = ["ChildFailed", "ChildTimeout", "run_bounded"]
