"""Fixtures shared across the suite."""

import os

import pytest


@pytest.fixture
def real_worker():
    """A Celery worker thread consuming from the machine's Redis (tasks stop running eagerly).

    The broker comes from config.settings.test, known before any task is sent, since Celery
    keeps the connection pool it first made.
    """
    import redis
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    broker = app.conf.broker_url
    try:
        redis.Redis.from_url(broker).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {broker}")
        pytest.skip(f"Redis is not reachable at {broker}")
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True
