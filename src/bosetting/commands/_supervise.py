"""Run a few processes side by side and stop them together (``bosetting serve``: web + worker).

Each child runs in its own process group, so Ctrl+C reaches only the supervisor, which then stops
the children in order: SIGTERM (the web server shuts down, the worker finishes its job), after a
grace period SIGTERM again (the worker puts its job back in the queue), then SIGKILL. Another Ctrl+C
skips to the next step. When a child stops by itself, the others are stopped the same way.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable

GRACE_SECONDS = 10.0
KILL_AFTER_SECONDS = 10.0
POLL_SECONDS = 0.2


def _alive(procs: dict[str, subprocess.Popen]) -> dict[str, subprocess.Popen]:
    return {name: p for name, p in procs.items() if p.poll() is None}


def _send(procs: dict[str, subprocess.Popen], signum: int) -> None:
    for p in _alive(procs).values():
        try:
            p.send_signal(signum)
        except ProcessLookupError:  # it ended between poll() and the signal
            pass


def _stop_all(
    procs: dict[str, subprocess.Popen],
    signals_seen: list[int],
    grace_seconds: float,
    kill_after_seconds: float,
) -> None:
    steps = [(signal.SIGTERM, grace_seconds), (signal.SIGTERM, kill_after_seconds)]
    for signum, wait_seconds in steps:
        _send(procs, signum)
        seen = len(signals_seen)
        deadline = time.monotonic() + wait_seconds
        while _alive(procs) and time.monotonic() < deadline and len(signals_seen) == seen:
            time.sleep(POLL_SECONDS)
        if not _alive(procs):
            return
    _send(procs, signal.SIGKILL)
    for p in procs.values():
        p.wait()


def supervise(
    commands: dict[str, list[str]],
    say: Callable[[str], object] = print,
    grace_seconds: float = GRACE_SECONDS,
    kill_after_seconds: float = KILL_AFTER_SECONDS,
) -> int:
    """Start every command, wait until one stops or a stop signal comes, then stop them all.

    Args:
        commands: Name (for messages) and argv of each process.
        say: Where to print what happens.
        grace_seconds: Time given after the first SIGTERM (a worker finishes its job).
        kill_after_seconds: Time given after the second SIGTERM, before SIGKILL.

    Returns:
        0 after a stop signal, 1 when a process stopped by itself.
    """
    signals_seen: list[int] = []

    def on_signal(signum, frame) -> None:
        signals_seen.append(signum)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    procs: dict[str, subprocess.Popen] = {}
    try:
        for name, argv in commands.items():
            procs[name] = subprocess.Popen(argv, process_group=0)
        code = 0
        while not signals_seen:
            ended = [(name, p.returncode) for name, p in procs.items() if p.poll() is not None]
            if ended:
                name, returncode = ended[0]
                say(f"{name.capitalize()} stoppet (kode {returncode}); stopper resten.")
                code = 1
                break
            time.sleep(POLL_SECONDS)
        else:
            say("Stopper …")
        _stop_all(procs, signals_seen, grace_seconds, kill_after_seconds)
        return code
    finally:
        for p in _alive(procs).values():
            p.kill()
            p.wait()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
