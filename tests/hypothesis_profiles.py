"""Hypothesis profiles: "ci", the thorough one (every budget as written), and "dev", about a
fifth of the examples for day-to-day runs.

CI (CI=true, as .ci/run sets) loads "ci"; anywhere else "dev", unless HYPOTHESIS_PROFILE
names one. Tests that set their own budget write it as ``examples(300)``, the CI figure,
so that the profile scales it too.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

THOROUGH = 100  # hypothesis' own default budget
# No per-example deadline and no "too slow" health check: both measure wall time, which a
# loaded 2-core CI machine stretches, and a test must not fail by chance. Budgets are in
# examples, not milliseconds.
UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=THOROUGH, print_blob=True, **UNTIMED)
settings.register_profile("dev", max_examples=THOROUGH // 5, **UNTIMED)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


def examples(ci_budget: int) -> int:
    """``ci_budget`` examples under the "ci" profile, proportionally fewer (at least 10)
    under a lighter one."""
    return max(10, ci_budget * settings().max_examples // THOROUGH)
