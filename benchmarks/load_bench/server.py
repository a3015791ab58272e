"""The system under load: a database with the demo, gunicorn as the Procfile
runs it, the Redis cache, and the CPU they use."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def procfile_web() -> str:
    """The Procfile's web command (what production runs)."""
    for line in (REPO / "Procfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise RuntimeError("the Procfile has no web line")


def _expanded(command: str, env: dict[str, str]) -> str:
    """``${NAME:-default}`` as the shell expands it, from ``env``."""
    return re.sub(
        r"\$\{(\w+):-([^}]*)\}",
        lambda m: env.get(m.group(1)) or m.group(2),
        command,
    )


def fresh_postgres(admin_url: str, name: str) -> str:
    """A new, empty PostgreSQL database ``name`` (dropped first); its URL."""
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def setup(env: dict[str, str]) -> None:
    """First-run setup as ``release`` runs it: schema, units, boundaries, demo."""
    subprocess.run(
        [PYTHON, "-m", "dashboard", "setup"],
        env=env,
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )


def flush_redis(url: str) -> None:
    """Empty the cache's Redis database (a cold start)."""
    import redis

    redis.Redis.from_url(url).flushdb()


@dataclass
class Gunicorn:
    """gunicorn started with the Procfile's command line."""

    env: dict[str, str]
    port: int
    process: subprocess.Popen | None = None
    log: Path = field(default_factory=lambda: Path("/tmp/cpd-load-gunicorn.log"))

    def start(self) -> None:
        env = {**self.env, "PORT": str(self.port)}
        command = _expanded(procfile_web(), env)
        args = [
            a if a != "gunicorn" else str(Path(PYTHON).parent / "gunicorn")
            for a in shlex.split(command)
        ]
        self.process = subprocess.Popen(
            args,
            env=self.env,
            cwd=REPO,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer; see {self.log}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def processes(self) -> list[psutil.Process]:
        assert self.process is not None
        master = psutil.Process(self.process.pid)
        return [master, *master.children(recursive=True)]

    def drain(self, quiet_ms: float = 100.0, limit_s: float = 120.0) -> None:
        """Wait until the previous run's requests are answered: a health check
        answered within ``quiet_ms`` (a queued one waits for a free worker)."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=limit_s):
                    pass
            except OSError:
                pass
            if (time.monotonic() - started) * 1000 < quiet_ms:
                return
            time.sleep(1)

    def kill_one_worker(self) -> int:
        """SIGKILL a web worker (gunicorn starts another); its pid."""
        worker = self.processes()[1]
        worker.send_signal(signal.SIGKILL)
        return worker.pid

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
            self.process = None


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for p in processes:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


@dataclass
class PrivateRedis:
    """A Redis server of the benchmark's own (so that restarting it disturbs
    nothing else): no persistence, on ``port``."""

    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url).ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self, away: float = 0.0) -> float:
        """Stop, wait ``away`` seconds and start again (its keys are gone);
        seconds it was away."""
        started = time.monotonic()
        self.stop()
        time.sleep(away)
        self.start()
        return time.monotonic() - started
