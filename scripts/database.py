"""Find or start a PostgreSQL for Verzuimloket and print its DATABASE_URL on stdout.

Order: PG=local -> project-local cluster; DATABASE_URL set -> that; a server answering on
127.0.0.1:5432 -> database `verzuimloket` there; otherwise the project-local cluster in `.pgdata/`.
All messages go to stderr, so `DATABASE_URL=$(python scripts/database.py)` works.

Testing options: `--local --pgdata DIR --port N` forces a local cluster; `--stop --pgdata DIR`.
"""

import argparse
import contextlib
import glob
import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "verzuimloket"
INSTALL_HINT = "Installeer PostgreSQL (Debian: apt-get install postgresql) of zet DATABASE_URL."


def say(message: str) -> None:
    """Print a progress message on stderr (stdout is reserved for the URL)."""
    print(f"database: {message}", file=sys.stderr, flush=True)


def fail(sentence: str) -> None:
    """Stop with one clear sentence on stderr."""
    print(sentence, file=sys.stderr)
    sys.exit(1)


def connect(url: str, timeout: int = 3):
    """Open an autocommit psycopg connection (imported here so --stop needs only stdlib)."""
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=timeout)


def ensure_database(host: str, port: int) -> str:
    """Create database `verzuimloket` if missing and return its URL."""
    from psycopg import errors, sql

    with connect(f"postgres://postgres@{host}:{port}/postgres") as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            say(f"database {DB_NAME} aanmaken op {host}:{port}")
            with contextlib.suppress(errors.DuplicateDatabase):  # a parallel run was first
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    return f"postgres://postgres@{host}:{port}/{DB_NAME}"


def server_on_default_port() -> bool:
    """True if a PostgreSQL on 127.0.0.1:5432 accepts user postgres without a password."""
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    try:
        connect("postgres://postgres@127.0.0.1:5432/postgres").close()
    except Exception as exc:
        say(f"127.0.0.1:5432 antwoordt, maar verbinden lukt niet ({exc}); lokaal cluster gebruiken")
        return False
    return True


def pg_bin_dir() -> Path | None:
    """Directory holding initdb and pg_ctl: from PATH, else the newest /usr/lib/postgresql/*/bin."""
    candidates = [Path(p).parent for p in [shutil.which("initdb")] if p]
    versions = [Path(d) for d in glob.glob("/usr/lib/postgresql/*/bin")]
    versions.sort(key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0, reverse=True)
    candidates += versions
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    return None


def run_as(user: str | None, *command: str | Path, check: bool = True, quiet: bool = False) -> int:
    """Run a PostgreSQL tool (as `user` via runuser when we are root); output goes to stderr."""
    prefix = ["runuser", "-u", user, "--"] if user else []
    args = prefix + [str(part) for part in command]
    out = subprocess.DEVNULL if quiet else sys.stderr
    result = subprocess.run(args, stdout=out, stderr=out if quiet else None, cwd="/tmp")
    if check and result.returncode != 0:
        fail(f"Het commando {' '.join(args)} mislukte (code {result.returncode}).")
    return result.returncode


def cluster_user(datadir: Path) -> str | None:
    """None when not root; else the owner of an existing cluster, `postgres` or `nobody`."""
    if os.geteuid() != 0:
        return None
    if (datadir / "PG_VERSION").exists() and datadir.stat().st_uid != 0:
        return pwd.getpwuid(datadir.stat().st_uid).pw_name
    try:
        return pwd.getpwnam("postgres").pw_name
    except KeyError:
        return "nobody"


def prepare_datadir(pgdata: Path) -> tuple[Path, str | None]:
    """Return (real data dir, user to run as).

    As root the cluster runs as an unprivileged user; if that user cannot reach the project
    (e.g. under /root), the data lives in /tmp and `pgdata` becomes a symlink to it.
    """
    real = pgdata.resolve()
    real.parent.mkdir(parents=True, exist_ok=True)
    user = cluster_user(real)
    if user and run_as(user, "test", "-x", real.parent, check=False, quiet=True) != 0:
        digest = hashlib.sha256(str(pgdata.absolute()).encode()).hexdigest()[:12]
        real = Path(f"/tmp/verzuimloket-pgdata-{digest}")
        say(f"{user} kan {pgdata.parent} niet bereiken; data in {real}, {pgdata} wordt een link")
        if pgdata.is_symlink():
            pgdata.unlink()
        elif pgdata.exists():
            pgdata.rmdir()  # only an empty leftover; a real cluster here would be an error
        pgdata.symlink_to(real)
        user = cluster_user(real)
    real.mkdir(mode=0o700, exist_ok=True)
    if user:
        shutil.chown(real, user)
    real.chmod(0o700)
    return real, user


def local_cluster(pgdata: Path, port: int) -> str:
    """Init (if needed) and start (if not running) a cluster in `pgdata`; return the URL."""
    bindir = pg_bin_dir()
    if bindir is None:
        fail(INSTALL_HINT)
    datadir, user = prepare_datadir(pgdata)
    if not (datadir / "PG_VERSION").exists():
        say(f"nieuw cluster in {datadir}")
        initdb = [bindir / "initdb", "-D", datadir, "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        if run_as(user, *initdb, "--locale=C.UTF-8", check=False) != 0:
            run_as(user, *initdb, "--no-locale")
    if run_as(user, bindir / "pg_ctl", "status", "-D", datadir, check=False, quiet=True) == 0:
        port = int((datadir / "postmaster.pid").read_text().splitlines()[3])
        say(f"cluster in {datadir} draait al op poort {port}")
    else:
        say(f"cluster in {datadir} starten op 127.0.0.1:{port}")
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k /tmp"
        log = datadir / "server.log"
        start = [bindir / "pg_ctl", "start", "-D", datadir, "-l", log, "-w", "-t", "30"]
        if run_as(user, *start, "-o", options, check=False) != 0:
            fail(f"PostgreSQL start niet; zie {log} (andere poort kiezen kan met PG_LOCAL_PORT).")
    deadline = time.monotonic() + 30
    while True:
        try:
            connect(f"postgres://postgres@127.0.0.1:{port}/postgres").close()
            break
        except Exception:
            if time.monotonic() > deadline:
                fail(f"PostgreSQL op poort {port} werd niet binnen 30 s bereikbaar.")
            time.sleep(0.5)
    return ensure_database("127.0.0.1", port)


def stop_cluster(pgdata: Path) -> None:
    """Stop the cluster in `pgdata` if it runs (fast shutdown)."""
    datadir = pgdata.resolve()
    bindir = pg_bin_dir()
    if bindir is None or not (datadir / "PG_VERSION").exists():
        say(f"geen cluster in {pgdata}")
        return
    user = cluster_user(datadir)
    if run_as(user, bindir / "pg_ctl", "status", "-D", datadir, check=False, quiet=True) == 0:
        run_as(user, bindir / "pg_ctl", "stop", "-D", datadir, "-m", "fast", "-w")
    else:
        say(f"cluster in {datadir} draait niet")


def main() -> None:
    """Parse options and print the chosen DATABASE_URL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--local", action="store_true", help="force the local cluster")
    parser.add_argument("--stop", action="store_true", help="stop the local cluster")
    parser.add_argument("--pgdata", type=Path, default=ROOT / ".pgdata")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PG_LOCAL_PORT", 54329)))
    args = parser.parse_args()
    pgdata = args.pgdata.absolute()

    if args.stop:
        stop_cluster(pgdata)
        return
    if args.local or os.environ.get("PG") == "local":
        url = local_cluster(pgdata, args.port)
    elif os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
    elif server_on_default_port():
        url = ensure_database("127.0.0.1", 5432)
    else:
        url = local_cluster(pgdata, args.port)
    print(url)


if __name__ == "__main__":
    main()
