"""The deployment the fault tests break: a private PostgreSQL cluster and Redis server, the
production settings, migrated and loaded with the demo organizations once per session.

Each test starts its own gunicorn and Celery worker (tests/stack.py) and leaves PostgreSQL
and Redis running when it ends, whatever it did to them on the way.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import stack


@dataclass
class Deployment:
    """One deployment's services, environment and folders."""

    root: Path
    postgres: stack.PrivatePostgres
    redis: stack.PrivateRedis
    env: dict[str, str]
    media_root: Path

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    def log(self, name: str) -> Path:
        return self.root / f"{name}.log"


@pytest.fixture(scope="session")
def deployment():
    reason = stack.services_available()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"fault tests cannot run: {reason}")
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="benchmark-faults-"))
    root.chmod(0o755)  # the cluster below it runs as the postgres user when we are root
    postgres = stack.PrivatePostgres(root / "postgres")
    redis = stack.PrivateRedis()
    postgres.init()
    postgres.start()
    redis.start()
    try:
        postgres.create_database("benchmark")
        env = stack.app_env(
            database_url=postgres.url("benchmark"),
            broker_url=redis.url(),
            media_root=root / "media",
            static_root=root / "static",
        )
        stack.manage(env, "migrate", "-v0")
        stack.manage(env, "collectstatic", "--noinput", "-v0")
        stack.manage(env, "load_demo")
        yield Deployment(root, postgres, redis, env, root / "media")
    finally:
        redis.stop()
        postgres.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def services_back(deployment):
    """Whatever a test stops, PostgreSQL and Redis are running again after it."""
    yield
    if not deployment.redis.running:
        deployment.redis.start()
    if not deployment.postgres.running:
        deployment.postgres.start()


@pytest.fixture
def signed_in(deployment, services_back):
    """gunicorn serving the deployment, and a client signed in as the demo VP (client admin
    of Northwind)."""
    port = stack.free_port()
    web = stack.gunicorn(deployment.env, port, deployment.log("web"))
    with stack.running(web):
        stack.wait_for_port(port)
        client = stack.HttpClient(port)
        client.login("vp@demo.example")
        yield client
