"""The 30-day plan and the review calendar of a first orchestrated workflow.

Pure module: standard library and icalendar, no Django, no clock (``as_of`` is passed in).
The milestones follow PRODUCT.md section 3, "The 30-day plan": week 1 pick and map, week 2
build the broken step and run one test case end to end, week 3 route 25% of real traffic
and compare with the baseline, week 4 cut over if throughput met it, document, and schedule
the day-60 and day-90 reviews. Reviews fall 30, 60 and 90 days after go-live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

from core.text import one_line

REVIEW_DAYS = (30, 60, 90)
GO_LIVE_OFFSET_DAYS = 14  # week 3 starts routing real traffic


@dataclass(frozen=True)
class MilestoneTemplate:
    """A milestone of the plan, due ``day`` days after the start (day 1 is the start)."""

    key: str
    week: int
    day: int
    title: str
    detail: str


MILESTONES = (
    MilestoneTemplate(
        "filter",
        1,
        2,
        "Run the 3-criteria filter and pick the workflow",
        "Days 1-2: 5+ hours a week, a step AI can do today, within two degrees of revenue.",
    ),
    MilestoneTemplate(
        "map",
        1,
        4,
        "Map the current state step by step",
        "Days 3-4: actor, tool, owner, data contract, copy-paste and wait for each step.",
    ),
    MilestoneTemplate(
        "break-step",
        1,
        5,
        "Name the break step and its done criteria",
        "Day 5: where the chain breaks most often, and what done means there.",
    ),
    MilestoneTemplate(
        "build",
        2,
        9,
        "Build the broken step",
        "Week 2: replace the manual transfer or undefined handoff with an integration.",
    ),
    MilestoneTemplate(
        "test-case",
        2,
        12,
        "Run one test case end to end",
        "Week 2: one real trigger through the whole chain, outcome logged.",
    ),
    MilestoneTemplate(
        "route-25",
        3,
        15,
        "Route 25% of real traffic through the chain",
        "Week 3: the orchestrated arm beside the baseline, both logged.",
    ),
    MilestoneTemplate(
        "compare",
        3,
        19,
        "Compare with the baseline and add error routes",
        "Week 3: throughput against the baseline; an error route for each recurring failure.",
    ),
    MilestoneTemplate(
        "cut-over",
        4,
        24,
        "Cut over if throughput met the baseline",
        "Week 4: move all traffic only if the orchestrated arm kept pace.",
    ),
    MilestoneTemplate(
        "document",
        4,
        26,
        "Document: owner and a one-page runbook",
        "Week 4: trigger, steps, owner, error routes and how to pause it.",
    ),
    MilestoneTemplate(
        "schedule",
        4,
        28,
        "Schedule the day-60 and day-90 reviews",
        "Week 4: put both reviews in the calendar with the data each needs.",
    ),
)


@dataclass(frozen=True)
class PlannedMilestone:
    key: str
    week: int
    title: str
    detail: str
    due_date: date


def plan_milestones(start_date: date) -> tuple[PlannedMilestone, ...]:
    """The ten milestones with their due dates, from ``start_date`` (day 1)."""
    return tuple(
        PlannedMilestone(m.key, m.week, m.title, m.detail, start_date + timedelta(days=m.day - 1))
        for m in MILESTONES
    )


def default_go_live(start_date: date) -> date:
    """Go-live defaults to the start of week 3, when real traffic first runs the chain."""
    return start_date + timedelta(days=GO_LIVE_OFFSET_DAYS)


def review_due_dates(go_live: date) -> dict[int, date]:
    """Review day (30, 60, 90) -> due date, counted from go-live."""
    return {day: go_live + timedelta(days=day) for day in REVIEW_DAYS}


@dataclass(frozen=True)
class CalendarItem:
    """One calendar invite: ``uid`` must be stable and globally unique (RFC 5545 3.8.4.7)."""

    uid: str
    title: str
    description: str
    due_date: date


def build_ics(
    items: list[CalendarItem],
    *,
    name: str,
    tz: str,
    as_of: datetime,
    start_time: time = time(9, 0),
    minutes: int = 30,
) -> bytes:
    """An iCalendar file (RFC 5545) with one timed event per item at ``start_time`` in
    ``tz`` (an IANA zone), with its VTIMEZONE, importable into Google Calendar and Outlook.

    Raises:
        zoneinfo.ZoneInfoNotFoundError: for an unknown time zone name.
    """
    zone = ZoneInfo(tz)
    calendar = Calendar()
    calendar.add("prodid", "-//AI Maturity Benchmark//Workflow plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # icalendar escapes line breaks in TEXT values (SUMMARY, DESCRIPTION) but writes an
    # X- property as it is given, and refuses a raw line break in it: fold it to one line.
    calendar.add("x-wr-calname", vText(one_line(name)))
    calendar.add("x-wr-timezone", tz)
    for item in items:
        event = Event()
        begins = datetime.combine(item.due_date, start_time, tzinfo=zone)
        event.add("uid", item.uid)
        event.add("summary", one_line(item.title))
        event.add("description", item.description)
        event.add("dtstart", begins)
        event.add("dtend", begins + timedelta(minutes=minutes))
        event.add("dtstamp", as_of)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical
