"""gunicorn settings of the web process (`gunicorn -c config/gunicorn.py`).

Threaded workers (gthread): each worker process serves `GUNICORN_THREADS`
requests at once, so a request that waits on the database does not hold a
whole process. The number of processes is `WEB_CONCURRENCY`, or else two per
CPU core plus one, at most `GUNICORN_MAX_WORKERS`. See docs/production.md,
"Serving"."""

import os


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def cpu_count() -> int:
    # The cores this process may run on (a container limited with cpuset sees fewer than the host has).
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def worker_count(cores: int) -> int:
    return env_int("WEB_CONCURRENCY", min(2 * cores + 1, env_int("GUNICORN_MAX_WORKERS", 8)))


wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

worker_class = "gthread"
workers = worker_count(cpu_count())
threads = env_int("GUNICORN_THREADS", 4)

# A worker process that does not report back for this long is killed and
# replaced. With gthread this guards the process, not each request: a slow
# request is logged by core.timing once it ends (SLOW_REQUEST_MS), and the
# proxy's read timeout ends the wait of the browser.
timeout = env_int("GUNICORN_TIMEOUT", 30)
# On a restart or `docker compose stop`, running requests get this long to finish.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Connections from the reverse proxy stay open between requests.
keepalive = env_int("GUNICORN_KEEPALIVE", 5)

# A worker is replaced after about this many requests, so memory that grows
# (a leak, a fragmented heap after a large page) is returned; the jitter keeps
# the workers from restarting all at once.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# The heartbeat file in memory: a container's disk can stall the heartbeat.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Access log on standard output with the time per request in milliseconds (`ms=`)
# and the client address the proxy saw; the query string and the referrer are
# left out, as they can carry personal data.
accesslog = "-"
access_log_format = '%(h)s %({x-forwarded-for}i)s "%(m)s %(U)s %(H)s" %(s)s %(B)s ms=%(M)s "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
