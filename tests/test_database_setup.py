"""Keeps the project-local PostgreSQL path of scripts/database.py working.

`make run` / `make test` fall back to that cluster on machines without a PostgreSQL on
127.0.0.1:5432, so this test really starts one (it never skips) and stops it again.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "database.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_script(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PG", "PG_LOCAL_PORT"}}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def cluster_dir():
    """A directory under /tmp (not pytest's tmp_path, which may sit under /root and so be
    out of reach of the unprivileged user the script uses when running as root)."""
    parent = Path(tempfile.mkdtemp(prefix="verzuimloket-pgtest-", dir="/tmp"))
    parent.chmod(0o755)
    yield parent / "pg"
    shutil.rmtree(parent, ignore_errors=True)


def test_local_cluster_starts_connects_and_stops(cluster_dir):
    port = str(free_port())
    started = run_script("--local", "--pgdata", str(cluster_dir), "--port", port)
    try:
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip()
        assert url == f"postgres://postgres@127.0.0.1:{port}/verzuimloket", started.stdout

        with psycopg.connect(url, autocommit=True) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
            conn.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
            assert conn.execute("SELECT current_database()").fetchone() == ("verzuimloket",)

        again = run_script("--local", "--pgdata", str(cluster_dir), "--port", port)
        assert again.returncode == 0, again.stderr
        assert again.stdout.strip() == url, "a running cluster is reused"
    finally:
        stopped = run_script("--stop", "--pgdata", str(cluster_dir))
    assert stopped.returncode == 0, stopped.stderr
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=3)
