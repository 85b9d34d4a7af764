"""``bosetting serve`` runs one background worker beside gunicorn and stops both together: on
SIGTERM (or Ctrl+C), and when one of them dies. Real processes on a scratch database; every wait is
bounded."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request

import psutil
import pytest
from tests.apps.jobs.processes import (
    BOSETTING,
    REPO,
    environment,
    free_port,
    run,
    scratch_database,
)

pytestmark = pytest.mark.slow


def _serve(tmp_path, database_url):
    env = environment(tmp_path, database_url)
    run([*BOSETTING, "migrate"], env)
    port = free_port()
    serve = subprocess.Popen(
        [*BOSETTING, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            break
        except OSError:
            assert serve.poll() is None, "serve stopped before it answered"
            assert time.monotonic() < deadline, "serve did not answer within 60 s"
            time.sleep(0.3)
    children = psutil.Process(serve.pid).children()
    worker = next(c for c in children if "worker" in c.cmdline())
    web = next(c for c in children if "gunicorn" in " ".join(c.cmdline()))
    return serve, worker, web


@pytest.mark.parametrize("how", ["sigterm", "worker dies"])
def test_serve_supervises_the_web_server_and_one_worker(tmp_path, how):
    with scratch_database("serve") as database_url:
        serve, worker, web = _serve(tmp_path, database_url)
        try:
            if how == "sigterm":
                os.kill(serve.pid, signal.SIGTERM)
                assert serve.wait(timeout=60) == 0
            else:
                worker.kill()
                assert serve.wait(timeout=60) == 1
            gone, alive = psutil.wait_procs([worker, web], timeout=30)
            assert not alive, f"still running after serve stopped: {alive}"
        finally:
            if serve.poll() is None:
                os.killpg(serve.pid, signal.SIGKILL)
                serve.wait(timeout=30)
            for proc in (worker, web):
                if proc.is_running():
                    proc.kill()
