"""A throwaway PostgreSQL cluster for the storage tests, started once per session.

It listens on 127.0.0.1 only, on a free port, trusts every local connection, lives in
a temporary directory and is always stopped at teardown. Without the PostgreSQL
binaries the tests that need it skip, saying why, except in CI (``CI`` is set), where
PostgreSQL is required and they fail instead.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def postgres_bin() -> Path | None:
    """The directory holding initdb and pg_ctl: on PATH, or Debian's versioned one."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    for directory in reversed(candidates):
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """The DSN of a fresh PostgreSQL cluster on 127.0.0.1, stopped after the session."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        unavailable("PostgreSQL binaries (initdb, pg_ctl) not found")
        return
    user = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        try:
            user = pwd.getpwnam("postgres").pw_name
        except KeyError:
            unavailable("running as root and there is no `postgres` user to run as")
            return
    # Directly under /tmp (world-traversable), so that the server's user reaches it.
    base = Path(tempfile.mkdtemp(prefix="asyncio-recipes-pg-"))
    if user is not None:
        shutil.chown(base, user)
    data, log = base / "data", base / "server.log"

    def run(*args: str | Path) -> None:
        subprocess.run(
            [str(a) for a in args],
            user=user,
            cwd=base,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=120,
        )

    port = free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off"
    try:
        run(
            bin_dir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync"
        )
        try:
            run(bin_dir / "pg_ctl", "-D", data, "-l", log, "-w", "-o", options, "start")
        except subprocess.CalledProcessError:
            logged = log.read_text() if log.exists() else "(no log)"
            pytest.fail(f"PostgreSQL did not start:\n{logged}")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            try:
                run(bin_dir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(base, ignore_errors=True)
