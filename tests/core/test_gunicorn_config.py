import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config" / "gunicorn.py"


def gunicorn_settings(monkeypatch, **env: str):
    """The configuration as gunicorn itself reads it from config/gunicorn.py."""
    from gunicorn.app.base import Application
    from gunicorn.config import Config

    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_MAX_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    class Loaded(Application):
        def init(self, parser, opts, args):
            pass

        def load_config(self):
            self.cfg = Config()
            for key, value in self.get_config_from_filename(str(CONFIG)).items():
                if key in self.cfg.settings and value is not None:
                    self.cfg.set(key.lower(), value)

        def load(self):
            raise NotImplementedError

    return Loaded().cfg


def test_threaded_workers_with_a_timeout(monkeypatch):
    cfg = gunicorn_settings(monkeypatch)
    assert cfg.worker_class_str == "gthread"
    assert cfg.threads == 4
    assert cfg.timeout == 30
    assert cfg.graceful_timeout == 30
    assert cfg.max_requests == 1000
    assert cfg.max_requests_jitter == 100
    assert cfg.wsgi_app == "config.wsgi:application"
    assert "%(M)s" in cfg.access_log_format
    assert "%(q)s" not in cfg.access_log_format  # no query string in the log


def test_workers_are_two_per_core_plus_one_at_most_eight(monkeypatch):
    from config import gunicorn

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_MAX_WORKERS", raising=False)
    assert [gunicorn.worker_count(cores) for cores in (1, 2, 3, 4, 16)] == [3, 5, 7, 8, 8]
    monkeypatch.setenv("GUNICORN_MAX_WORKERS", "20")
    assert gunicorn.worker_count(16) == 20
    cfg = gunicorn_settings(monkeypatch)
    assert cfg.workers == gunicorn.worker_count(gunicorn.cpu_count())


def test_the_environment_overrides_workers_threads_and_timeout(monkeypatch):
    cfg = gunicorn_settings(monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="8", GUNICORN_TIMEOUT="60")
    assert (cfg.workers, cfg.threads, cfg.timeout) == (3, 8, 60)


@pytest.mark.skipif(sys.platform != "linux", reason="/dev/shm is Linux")
def test_gunicorn_accepts_the_file():
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "--check-config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
