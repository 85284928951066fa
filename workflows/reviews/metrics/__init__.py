"""The review metrics: day-30 throughput, day-60 conversion, day-90 revenue, and whether each
can defend itself yet. PRODUCT.md section 3, "The reviews".

Pure package: pandas + numpy + stdlib, no Django, no clock: every function that needs
"today" takes ``as_of``. Inputs are the importer's DataFrames (columns in each module);
results are frozen dataclasses whose ``as_json()`` gives plain JSON values (USD to the cent,
rates and ratios to 4 places, dates ISO), which a completed review freezes.

- ``throughput`` (Day 30): runs a week per arm, orchestrated / baseline with a 95% CI (Wald
  on the log rate ratio, Rothman & Greenland, Modern Epidemiology), completion rate, where
  runs stop.
- ``conversion`` (Day 60): events per run (trigger) per arm; the rate ratio with the same
  interval, and the difference with Newcombe's hybrid score interval from Wilson score
  intervals (Newcombe 1998), or a Wald Poisson-rate interval when events outnumber runs.
- ``attributable_pipeline``, ``cost_per_ai_touch``, ``payback`` (Day 90), under a
  ``CreditPolicy``.
- ``throughput_warnings``, ``conversion_warnings``, ``revenue_warnings``: plain warnings.

CFO-grade numbers (issue 17), each module citing its sources:

- ``baseline``: the pre-period before go-live, frozen at the day-30 review.
- ``cuped``, ``did``, ``effects``: effects by design (randomized arms adjusted by CUPED, Deng
  et al. 2013; difference-in-differences, Card & Krueger 1994), additive at every review.
- ``sequential``: repeated 95% intervals over the three looks (Lan-DeMets alpha spending of
  O'Brien-Fleming type).
- ``risk``, ``npv``: low / likely / high with a TEI risk haircut, payback ranges, and the NPV on
  won revenue x gross margin (Forrester Total Economic Impact).
- ``trend``: cost per AI touch across the three review windows.
"""

from workflows.reviews.metrics._common import ARMS, BASELINE, ORCHESTRATED, Interval
from workflows.reviews.metrics.baseline import BaselineResult, compute_baseline
from workflows.reviews.metrics.conversion import KINDS, ArmConversion, ConversionResult, conversion
from workflows.reviews.metrics.cost import (
    SPEND_CATEGORIES,
    CategoryCost,
    CostPerTouchResult,
    cost_per_ai_touch,
)
from workflows.reviews.metrics.payback import PaybackResult, payback
from workflows.reviews.metrics.revenue import (
    AI_FLAGS,
    CreditPolicy,
    FlagPipeline,
    PipelineResult,
    attributable_pipeline,
)
from workflows.reviews.metrics.sufficiency import (
    conversion_warnings,
    revenue_warnings,
    throughput_warnings,
)
from workflows.reviews.metrics.throughput import ArmThroughput, ThroughputResult, throughput

__all__ = [
    "AI_FLAGS",
    "ARMS",
    "BASELINE",
    "KINDS",
    "ORCHESTRATED",
    "SPEND_CATEGORIES",
    "ArmConversion",
    "ArmThroughput",
    "BaselineResult",
    "CategoryCost",
    "ConversionResult",
    "CostPerTouchResult",
    "CreditPolicy",
    "FlagPipeline",
    "Interval",
    "PaybackResult",
    "PipelineResult",
    "ThroughputResult",
    "attributable_pipeline",
    "compute_baseline",
    "conversion",
    "conversion_warnings",
    "cost_per_ai_touch",
    "payback",
    "revenue_warnings",
    "throughput",
    "throughput_warnings",
]
