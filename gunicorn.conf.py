"""Gunicorn, the production app server: `gunicorn -c gunicorn.conf.py` (`make serve` does this).

Everything comes from the environment (docs/deploy.md):

- BIND: address to listen on, default 127.0.0.1:$PORT (PORT default 8000). Behind a reverse
  proxy on another machine: BIND=0.0.0.0:8000 on a private network only.
- WEB_CONCURRENCY: app processes, default 2 x cores + 1, at most 8 (each keeps its own
  PostgreSQL connection; grow by adding machines, see docs/deploy.md).
- GUNICORN_TIMEOUT: seconds a request may take before its process is replaced (default 30).
- GRACEFUL_TIMEOUT: on SIGTERM, seconds running requests get to finish (default 25, below the
  usual 30 s an orchestrator waits before SIGKILL).
"""

import os

wsgi_app = "verzuimloket.wsgi:application"
bind = [os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT') or 8000}"]


def _cores() -> int:
    # The cores this process may use (a container's CPU set), not the machine's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cores() + 1, 8))
# Sync workers: one request per process at a time, the simple model for a database-bound app
# behind a buffering reverse proxy (nginx), which absorbs slow clients.
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT") or 25)
# A fresh process now and then bounds any slow memory growth; the jitter keeps the processes
# from restarting all at once. Not too often: a new process loads the app again (0.6 s of CPU
# here) and starts with a cold database connection and template cache. Every 1,000 requests that
# was 0.7 ms of CPU per request, a third of the cheapest page; every 10,000 it is 0.07 ms.
max_requests = 10_000
max_requests_jitter = 1_000
proc_name = "verzuimloket"
# Gunicorn's control socket (gunicornc) is not used; one fixed path per user would also make
# two servers on one machine (a test beside `make serve`) trip over each other.
control_socket_disable = True

# Logging: gunicorn's own messages (start, stop, worker timeouts) as JSON lines on stdout, like
# the application's. Gunicorn's access log stays off: VerzoekMiddleware writes one line per
# request with more in it (request id, user id, instellingscode) and without the query string,
# which gunicorn's request line would carry (it can hold a PGN). Requests that never reach
# Django (a malformed request line) are in the reverse proxy's access log.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "verzuimloket.logboek.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        },
        "niets": {"class": "logging.NullHandler"},
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["niets"], "propagate": False},
        # Django leaves dropping the body of a HEAD response to the server (PEP 3333); gunicorn
        # does so correctly but warns each time, also for a load balancer's HEAD health check.
        "gunicorn.http.wsgi": {"level": "ERROR"},
    },
}
