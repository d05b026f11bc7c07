"""The database a bench builds for itself, beside the one `make run` uses: on the PostgreSQL
server of DATABASE_URL (else the one scripts/database.py finds or starts), under its own name,
made and dropped through the server's `postgres` database."""

import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent


def url(naam: str) -> str:
    """The server `make run` would use, with the database `naam`."""
    basis = (
        os.environ.get("DATABASE_URL")
        or subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "database.py")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    return urllib.parse.urlsplit(basis)._replace(path=f"/{naam}").geturl()


def _naam(database_url: str) -> str:
    return urllib.parse.urlsplit(database_url).path.lstrip("/")


def _beheer(database_url: str) -> psycopg.Connection:
    """A connection to the server's `postgres` database, for CREATE and DROP DATABASE."""
    beheer_url = urllib.parse.urlsplit(database_url)._replace(path="/postgres").geturl()
    return psycopg.connect(beheer_url, autocommit=True)


def bestaat(database_url: str) -> bool:
    with _beheer(database_url) as conn:
        rij = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [_naam(database_url)])
        return rij.fetchone() is not None


def weg(database_url: str) -> None:
    naam = sql.Identifier(_naam(database_url))
    with _beheer(database_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(naam))


def opnieuw(database_url: str) -> None:
    """An empty database of that name (an earlier one is dropped)."""
    naam = sql.Identifier(_naam(database_url))
    with _beheer(database_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(naam))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(naam))
