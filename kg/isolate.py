"""Work in a child process: bounded by a deadline, and never outliving its parent.

Oxigraph cannot cancel a running query and rdflib cannot cancel a parse, so the only sure
way to stop either at a deadline is to run it in a separate process and kill that. A forked
child shares what the parent has loaded (a store, copy-on-write), so nothing is reloaded.

A child that outlives its parent is a leak: after ``kill -9`` of ``kg build`` its loader
workers used to live on. :func:`die_with_parent` asks Linux to kill the calling process
when its parent dies (``PR_SET_PDEATHSIG``); every child this package starts calls it.

>>> run_with_deadline(sum, ([1, 2, 3],), timeout=10)
6
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from kg.errors import KgError, one_line

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1


class DeadlineError(KgError, TimeoutError):
    """The work did not finish in time (or its process died); ``str()`` is one line."""


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere a no-op).

    Called first thing in every child process we start. If the parent is already gone
    when this runs, exit at once.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # re-parented to init: the parent died before prctl
        os._exit(1)


def run_with_deadline(
    function: Callable[..., T],
    args: tuple[Any, ...] = (),
    *,
    timeout: float,
    what: str = "the work",
    expected: tuple[type[BaseException], ...] = (),
) -> T:
    """``function(*args)`` in a forked child killed after ``timeout`` seconds.

    The result travels back by pickle. An exception of a class in ``expected`` is raised
    again in the parent as it was (same class, same message); any other becomes a
    :class:`DeadlineError` with its one-line message. Without ``fork`` (not Linux or
    macOS) the function runs here, without a deadline.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return function(*args)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child() -> None:
        die_with_parent()
        try:
            sender.send(("ok", function(*args)))
        except expected as exc:
            sender.send(("raise", exc))
        except BaseException as exc:  # anything else still ends as one line in the parent
            sender.send(("error", f"{what} failed: {one_line(exc)}"))

    process = context.Process(target=child, daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise DeadlineError(f"{what} stopped after {timeout:g} s (timeout)")
        status, payload = receiver.recv()
    except EOFError:
        raise DeadlineError(f"{what} ended without an answer (out of memory?)") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if status == "raise":
        raise payload
    if status == "error":
        raise DeadlineError(payload)
    return payload  # type: ignore[no-any-return]
