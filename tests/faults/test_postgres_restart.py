"""PostgreSQL restarted while the app is in use.

Requests in flight or arriving while the database is down get a clean 503 page with
``Retry-After`` (never a dropped connection or a stack trace); once it is back, the next
requests succeed on the same gunicorn workers, signed-in users still signed in.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests import stack

pytestmark = pytest.mark.faults

ORG = stack.DEMO_ORG


def test_a_restart_fails_requests_cleanly_and_the_next_ones_succeed(deployment, signed_in):
    _, result = stack.demo_links(signed_in)
    paths = [f"/orgs/{ORG}/", result, f"/orgs/{ORG}/reports/"]
    outcomes: list[tuple[float, str, object, dict[str, str], str]] = []
    lock = threading.Lock()
    done = threading.Event()

    def user(seed: int) -> None:
        client = stack.HttpClient(signed_in.port, timeout=20)
        client.cookies.update(signed_in.cookies)
        n = seed
        while not done.is_set():
            path = paths[n % len(paths)]
            n += 1
            started = time.monotonic()
            try:
                status, body, headers = client.get(path)
            except Exception as exc:  # a dropped connection is what this test looks for
                status, body, headers = type(exc).__name__, "", {}
            with lock:
                outcomes.append((started, path, status, headers, body))

    users = [threading.Thread(target=user, args=(i,)) for i in range(4)]
    for thread in users:
        thread.start()
    try:
        time.sleep(1)
        down = time.monotonic()
        deployment.postgres.stop("fast")  # aborts the transactions in flight
        time.sleep(2)
        deployment.postgres.start()
        up = time.monotonic()
        time.sleep(2)
    finally:
        done.set()
        for thread in users:
            thread.join(timeout=30)

    statuses = {status for _, _, status, _, _ in outcomes}
    assert statuses <= {200, 503}, statuses
    unavailable = [o for o in outcomes if o[2] == 503]
    assert unavailable, "no request met the database while it was down"
    for _, _, _, headers, body in unavailable:
        assert headers.get("Retry-After") == "5"
        assert "Back in a moment" in body and "Traceback" not in body
    assert all(down - 0.5 <= started <= up for started, *_ in unavailable)
    after = [o for o in outcomes if o[0] > up]
    assert len(after) > 20
    assert all(status == 200 for _, _, status, _, _ in after), [
        (path, status) for _, path, status, _, _ in after if status != 200
    ]
    # Sessions live in the database and survived the restart; writes work again.
    stack.request_board_report(signed_in)
