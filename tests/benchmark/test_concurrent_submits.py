"""Many visitors finishing the self-score at the same moment (issue 13, goal 3).

Each submit increments about 22 shared histogram bars. On PostgreSQL, submits that lock
those rows in different orders deadlock; this runs 20 threads at once, each with its own
connection, and then checks the histograms equal a recount. SQLite serialises writers, so
the test only means something on PostgreSQL and is skipped there with the reason.
"""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, connections

from benchmark.demo import synthetic_teams
from benchmark.models import PeerBucket
from benchmark.selectors import definition_get_current
from benchmark.services import peer_buckets_rebuild, response_submit

THREADS = 20
SUBMITS_EACH = 3


def histograms() -> dict[tuple[str, str, str, int], int]:
    return {
        (b.pool, b.segment, b.metric, b.value): b.count
        for b in PeerBucket.objects.all()
        if b.count  # a bar counted down to nothing equals a missing one
    }


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_neither_fail_nor_deadlock_and_equal_a_recount():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row-lock deadlocks need PostgreSQL (SQLite serialises writers); "
            "run with DATABASE_URL=postgres://..."
        )
    teams = list(synthetic_teams(definition_get_current(), THREADS * SUBMITS_EACH, seed=13))
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def submitter(index: int) -> None:
        try:
            barrier.wait()
            for profile, answers in teams[index::THREADS]:
                response_submit(
                    profile=profile,
                    answers=answers,
                    completed_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
                )
        except BaseException as error:  # reported below, thread by thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submitter, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    counted = histograms()
    assert sum(
        n for (_, seg, metric, _), n in counted.items() if (seg, metric) == ("all", "overall")
    ) == (THREADS * SUBMITS_EACH)
    peer_buckets_rebuild()
    assert histograms() == counted
