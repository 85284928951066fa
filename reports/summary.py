"""The board report's executive summary and methods appendix, from a review's frozen snapshot.

Pure module: stdlib and the typed snapshot (``workflows.reviews.stored``), no Django.
Issue 17, "In the board report": one page first with the decision, the three numbers with
their ranges, the payback and what is not yet defensible; and an appendix giving each
formula, its inputs as of the freeze, and its source. Both read the snapshot the review
froze, so they show what was known then; a section the snapshot predates is "not computed
then".
"""

from __future__ import annotations

from typing import Any

from workflows.reviews.stored import ReviewSnapshot
from workflows.reviews.stored_cfo import Effect, PaybackScenario

NOT_COMPUTED = "Not computed then: the review was frozen before this existed."


def _usd(value: Any) -> str:
    if value is None:
        return "n/a"
    amount = float(value)
    return f"-${abs(amount):,.0f}" if amount < 0 else f"${amount:,.0f}"


def _payback_text(entry: PaybackScenario | None) -> str:
    if entry is None:
        return "n/a"
    if entry.days is None:
        return entry.label or "n/a"
    return f"{entry.days} days ({entry.label})"


def executive_summary(
    snapshot: ReviewSnapshot, *, decision: str, stage_label: str
) -> dict[str, Any]:
    """The summary's rows: ``numbers`` as (name, low, likely, high, note) and the rest."""
    numbers: list[tuple[str, str, str, str, str]] = []
    pipeline_range = snapshot.pipeline_range
    if pipeline_range:
        haircut = snapshot.risk.haircut_percent if snapshot.risk else None
        numbers.append(
            (
                "AI-attributable pipeline",
                _usd(pipeline_range.low),
                _usd(pipeline_range.likely),
                _usd(pipeline_range.high),
                f"after a {haircut}% risk haircut; "
                f"lost deals ({_usd(pipeline_range.lost_usd)}) kept apart",
            )
        )
    elif snapshot.pipeline:
        value = _usd(snapshot.pipeline.attributable_usd)
        numbers.append(("AI-attributable pipeline", "n/a", value, "n/a", NOT_COMPUTED))
    cost = snapshot.cost
    trend = snapshot.cost_trend
    if cost:
        per_touch = cost.cost_per_touch_usd
        note = "the review window"
        if trend and trend.change is not None:
            note = f"{100 * trend.change:+.0f}% from the first review window to the last"
        text = f"${per_touch:.2f}" if per_touch is not None else "n/a"
        numbers.append(("Cost per AI touch", "", text, "", note))
    payback = snapshot.payback_range
    if payback:
        numbers.append(
            (
                "Payback period",
                _payback_text(payback.low),
                _payback_text(payback.likely),
                _payback_text(payback.high),
                "on open and won attributable pipeline",
            )
        )
    npv = snapshot.npv
    if npv:
        projected = npv.npv_projected
        numbers.append(
            (
                "NPV over 3 years (projected)",
                _usd(projected.low),
                _usd(projected.likely),
                _usd(projected.high),
                f"cash: won x {100 * npv.gross_margin:.0f}% margin at "
                f"{100 * npv.discount_rate:.0f}% a year; to date "
                f"{_usd(npv.npv_to_date.likely)}",
            )
        )
    effects = []
    found = snapshot.effects
    designs: tuple[tuple[Any, str], ...] = (
        (found.randomized if found else None, "randomized arms, CUPED"),
        (found.did if found else None, "DiD"),
    )
    for block, design in designs:
        for metric in ("throughput", "conversion"):
            effect: Effect | None = getattr(block, metric) if block else None
            if effect and effect.interval:
                interval = effect.interval
                effects.append(
                    f"{metric.capitalize()} ({design}): {interval.estimate:+.3g} "
                    f"{effect.units}, repeated 95% CI {interval.lower:+.3g} to "
                    f"{interval.upper:+.3g}"
                )
    return {
        "stage": stage_label,
        "decision": decision,
        "numbers": numbers,
        "effects": effects,
        "not_defensible": list(snapshot.warnings),
        "baseline": snapshot.baseline,
        "computed": snapshot.effects is not None,
    }


def methods_appendix(snapshot: ReviewSnapshot) -> list[dict[str, str]]:
    """One entry per method: ``name``, ``formula``, ``inputs`` (as of the freeze), ``source``."""
    entries: list[dict[str, str]] = []
    baseline = snapshot.baseline
    entries.append(
        {
            "name": "Baseline",
            "formula": "runs a week = pre-period runs / weeks; completion = succeeded / "
            "(succeeded + failed); conversion = booked calls / runs; whole weeks before "
            "go-live, at most 12; under 4 is too short",
            "inputs": (
                f"{baseline.weeks} weeks, {baseline.start} to {baseline.end}; "
                f"{baseline.runs} runs; frozen {str(baseline.frozen_at or '')[:10]}"
                if baseline and baseline.weeks
                else (baseline.reason if baseline else "") or NOT_COMPUTED
            ),
            "source": "Pre-registration of a frozen baseline, as experimentation platforms do",
        }
    )
    found = snapshot.effects
    randomized = found.randomized.throughput if found and found.randomized else None
    cuped = randomized.cuped if randomized else None
    entries.append(
        {
            "name": "CUPED (randomized arms)",
            "formula": "theta = Cov(X, Y) / Var(X); Y_cv = Y - theta (X - mean X); effect = "
            "mean Y_cv(orchestrated) - mean Y_cv(baseline); units are days, X the "
            "pre-period value of the same weekday",
            "inputs": (
                f"throughput: theta {cuped.theta}, {cuped.n_orchestrated} + "
                f"{cuped.n_baseline} days, SE {cuped.standard_error} runs a week "
                f"(unadjusted {cuped.unadjusted_se})"
                if cuped
                else (found.randomized_reason if found else "") or NOT_COMPUTED
            ),
            "source": "Deng, Xu, Kohavi & Walker (2013), WSDM '13, section 3.1",
        }
    )
    did = found.did if found else None
    table = did.throughput.table if did and did.throughput else None
    entries.append(
        {
            "name": "Difference-in-differences",
            "formula": "(after_T - before_T) - (after_C - before_C); SE = sqrt(SE_T^2 + "
            "SE_C^2), weekly cells; parallel pre-trends tested by the slope difference",
            "inputs": (
                f"vs {did.comparison_name}: runs a week {table.treated_before} "
                f"-> {table.treated_after} against {table.comparison_before} -> "
                f"{table.comparison_after}; DiD {table.effect.value} (SE "
                f"{table.effect.se})"
                if did and table
                else (found.did_reason if found else "") or NOT_COMPUTED
            ),
            "source": "Card & Krueger (1994), American Economic Review 84(4), Table 3",
        }
    )
    entries.append(
        {
            "name": "Intervals over three looks",
            "formula": "alpha(t) = 2 - 2 Phi(Phi^-1(1 - alpha/4) / sqrt t) a side, t = 1/3, "
            "2/3, 1; repeated CI = estimate +/- c_k SE, c = 3.71, 2.51, 1.99",
            "inputs": (f"look {found.look} of 3, z = {found.z}" if found else NOT_COMPUTED),
            "source": "Lan & DeMets (1983), Biometrika 70; O'Brien & Fleming (1979); "
            "Jennison & Turnbull (2000), ch. 19",
        }
    )
    risk = snapshot.risk
    pipeline_range = snapshot.pipeline_range
    entries.append(
        {
            "name": "Risk-adjusted pipeline (low / likely / high)",
            "formula": "haircut = 1 - prod(1 - f_i); high = measured; likely = measured x "
            "(1 - haircut); low = max(0, measured - 1.96 SE) x (1 - haircut), SE = "
            "sqrt(sum attributed_i^2)",
            "inputs": (
                "; ".join(f"{f.name} {f.percent}%" for f in risk.factors)
                + f"; SE {_usd(pipeline_range.standard_error)}"
                if risk and pipeline_range
                else NOT_COMPUTED
            ),
            "source": "Forrester, The Total Economic Impact methodology (risk adjustment); "
            "compound Poisson variance",
        }
    )
    payback = snapshot.payback
    entries.append(
        {
            "name": "Payback period",
            "formula": "first day cumulative attributable pipeline (open + won, never lost) "
            ">= build cost; else projected from the last 30 days' average; per scenario",
            "inputs": (
                f"build cost {_usd(payback.build_cost_usd)} on {payback.build_date}; "
                f"cumulative {_usd(payback.cumulative_usd)} by {payback.as_of}"
                if payback
                else NOT_COMPUTED
            ),
            "source": "PRODUCT.md section 3; Forrester TEI (payback)",
        }
    )
    npv = snapshot.npv
    entries.append(
        {
            "name": "Net present value",
            "formula": "NPV = sum CF_m / (1 + r_30)^m, r_30 = (1 + r)^(30/365) - 1; CF_0 = "
            "-build cost; CF_m = margin x won attributed - AI spend; 3-year horizon "
            "repeats the mean whole-period flow",
            "inputs": (
                f"rate {100 * npv.discount_rate:.1f}% a year, margin "
                f"{100 * npv.gross_margin:.0f}%, cash flows "
                + ", ".join(_usd(v) for v in npv.cash_flows)
                if npv
                else NOT_COMPUTED
            ),
            "source": "Forrester, The Total Economic Impact methodology (NPV)",
        }
    )
    cost = snapshot.cost
    entries.append(
        {
            "name": "Cost per AI touch",
            "formula": "(subscriptions + model usage + maintenance hours x rate) / AI-driven "
            "steps executed, spend prorated by day",
            "inputs": (
                f"{_usd(cost.spend_usd)} over {cost.ai_steps} AI-driven steps"
                if cost
                else NOT_COMPUTED
            ),
            "source": "PRODUCT.md section 3",
        }
    )
    return entries
