"""`make run` serves the product as a newcomer should meet it: gunicorn on loopback with
config.settings.local (DEBUG off, the project's 404, hashed static files through
WhiteNoise, links on the chosen port); `make dev` keeps the DEBUG server."""

import http.client
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from tests import stack

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.executable).parent.parent


def dry_run(target: str, port: int) -> str:
    """What ``make <target>`` would run with ``PORT=port``, installing nothing."""
    out = subprocess.run(
        [
            shutil.which("make") or "make",
            "-n",
            "--no-print-directory",
            target,
            f"VENV={VENV}",
            "-o",
            f"{VENV}/.installed-stamp",
        ],
        cwd=ROOT,
        # Under `make test` the parent's MAKEFLAGS would make this a sub-make.
        env={
            **{
                k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
            },
            "PORT": str(port),
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def test_it_runs_gunicorn_with_the_local_settings_on_the_chosen_port():
    commands = dry_run("run", 8101)
    assert "runserver" not in commands
    serve = commands.strip().splitlines()[-2:]
    assert "DJANGO_SETTINGS_MODULE=config.settings.local" in serve[0]
    assert "gunicorn config.wsgi --bind 127.0.0.1:8101" in serve[0]


def test_make_dev_keeps_the_reloading_debug_server():
    assert "manage.py runserver 127.0.0.1:8102" in dry_run("dev", 8102)


def local_settings(tmp_path: Path, **env: str) -> dict[str, str]:
    """The environment of `make run`, with its files in ``tmp_path``."""
    environment = dict(os.environ)
    for name in ("DJANGO_SECRET_KEY", "SITE_URL", "CACHE_URL", "REDIS_URL", "DATABASE_URL"):
        environment.pop(name, None)
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        LOCAL_SECRET_KEY_FILE=str(tmp_path / "secret-key"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        **env,
    )
    return environment


def read_settings(env: dict[str, str]) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SITE_URL, s.SECRET_KEY, s.STORAGES['staticfiles']['BACKEND'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_the_local_settings_are_the_products(tmp_path):
    env = local_settings(tmp_path, PORT="8101", DJANGO_DEBUG="true")
    debug, site_url, key, storage = read_settings(env)
    assert debug == "False"
    assert site_url == "http://127.0.0.1:8101"
    assert storage.endswith("CompressedManifestStaticFilesStorage")
    # The secret key is generated once, kept owner-only, and used again on the next start.
    key_file = tmp_path / "secret-key"
    assert key_file.read_text().strip() == key and len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert read_settings(env)[2] == key


def get(port: int, path: str) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    reply = conn.getresponse()
    body = reply.read().decode("utf-8", "replace")
    conn.close()
    return reply.status, dict(reply.getheaders()), body


def test_it_serves_the_404_page_the_landing_page_and_static_files(tmp_path):
    port = stack.free_port()
    env = local_settings(tmp_path, PORT=str(port))
    stack.manage(env, "migrate", "--noinput", "-v0")
    # plotly.js takes the most time to compress; these pages do not load it.
    stack.manage(env, "collectstatic", "--noinput", "-v0", "-i", "plotly-partial.min.js")
    server = stack.Service(
        [
            str(stack.BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env,
        tmp_path / "gunicorn.log",
    )
    with stack.running(server):
        stack.wait_for_port(port)
        status, _, body = get(port, "/no-such-page/")
        assert status == 404
        assert "<h1>Not found</h1>" in body
        assert "URLconf" not in body and "Using the URLconf" not in body  # no URL list

        status, _, landing = get(port, "/")
        assert status == 200
        hashed = landing.split('href="/static/css/app.', 1)[1].split('"', 1)[0]
        assert re.fullmatch(r"[0-9a-f]{12}\.css", hashed)  # app.<hash>.css, from the manifest

        status, headers, _ = get(port, f"/static/css/app.{hashed}")
        assert status == 200
        assert "immutable" in headers["Cache-Control"]
