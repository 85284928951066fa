"""AI tool stack figures and tool sprawl by hand-computed cases, plus properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audits.stack import ToolInput, format_usd, summarize_stack


def tool(name="Tool", cost="100", seats=1, daily=True, integrated="HubSpot"):
    return ToolInput(
        name=name,
        monthly_cost_usd=Decimal(cost),
        seats=seats,
        used_daily=daily,
        integrated_with=integrated,
    )


def test_an_empty_stack_is_all_zeros_and_no_sprawl():
    summary = summarize_stack([])
    assert summary.tool_count == 0
    assert summary.used_daily_count == 0
    assert summary.unused_count == 0
    assert summary.monthly_spend_usd == 0
    assert summary.unused_monthly_spend_usd == 0
    assert summary.annual_spend_usd == 0
    assert summary.integrated_count == 0
    assert summary.sprawl is False
    assert summary.sprawl_reasons == ()


def test_it_counts_and_prices_the_stack():
    summary = summarize_stack(
        [
            tool("ChatGPT Team", cost="150", seats=6, daily=True, integrated=""),
            tool("Clay", cost="349.50", seats=2, daily=True, integrated="HubSpot"),
            tool("Jasper", cost="59", seats=1, daily=False, integrated=""),
        ]
    )
    assert summary.tool_count == 3
    assert summary.used_daily_count == 2
    assert summary.unused_count == 1
    assert summary.monthly_spend_usd == Decimal("558.50")  # 150 + 349.50 + 59
    assert summary.unused_monthly_spend_usd == Decimal(59)
    assert summary.annual_spend_usd == Decimal("6702.00")  # 558.50 x 12
    assert summary.integrated_count == 1


def test_a_lean_integrated_stack_is_not_sprawl():
    summary = summarize_stack([tool("A"), tool("B"), tool("C", integrated="")])
    assert summary.sprawl is False
    assert summary.sprawl_reasons == ()


def test_seven_tools_is_sprawl_even_when_all_are_used_and_integrated():
    summary = summarize_stack([tool(str(i)) for i in range(7)])
    assert summary.sprawl is True
    assert summary.sprawl_reasons == (
        "7 AI tools paid for: high-maturity teams run 2 to 3, deeply integrated.",
    )


def test_six_tools_all_used_and_integrated_is_not_sprawl():
    assert summarize_stack([tool(str(i)) for i in range(6)]).sprawl is False


def test_the_product_example_names_all_three_reasons():
    # 7 tools, 3 unused ($500 + $440 + $300 = $1,240 a month), only 1 integrated.
    tools = [
        tool("A", cost="500", daily=False, integrated=""),
        tool("B", cost="440", daily=False, integrated=""),
        tool("C", cost="300", daily=False, integrated=""),
        tool("D", cost="20", integrated="Salesforce"),
        tool("E", cost="20", integrated=""),
        tool("F", cost="20", integrated=""),
        tool("G", cost="20", integrated=""),
    ]
    assert summarize_stack(tools).sprawl_reasons == (
        "7 AI tools paid for: high-maturity teams run 2 to 3, deeply integrated.",
        "3 of 7 paid tools are not used daily ($1,240 a month).",
        "Only 1 of 7 tools is integrated with another system.",
    )


@pytest.mark.parametrize(
    ("daily_flags", "sprawl"),
    [
        ((False,), False),  # one tool: the unused rule needs at least 2
        ((True, False), True),  # 1 of 2 is more than a third
        ((True, True, False), False),  # exactly a third is not more
        ((True, True, False, False), True),  # 2 of 4
        ((True, True, True, True, True, False, False), True),  # 2 of 7 is not, but 7 tools is
        ((True, True, True, True, False), False),  # 1 of 5
        ((True, True, True, False, False, False), True),  # 3 of 6
        ((True, True, True, True, False, False), False),  # 2 of 6 is exactly a third
    ],
)
def test_more_than_a_third_unused_is_sprawl(daily_flags, sprawl):
    summary = summarize_stack([tool(str(i), daily=d) for i, d in enumerate(daily_flags)])
    assert summary.sprawl is sprawl


def test_one_unused_tool_of_two_reads_in_the_singular():
    summary = summarize_stack([tool("A"), tool("B", cost="40", daily=False)])
    assert summary.sprawl_reasons == ("1 of 2 paid tools is not used daily ($40 a month).",)


def test_unused_spend_shows_cents_when_not_whole():
    summary = summarize_stack([tool("A"), tool("B", cost="19.99", daily=False)])
    assert summary.sprawl_reasons == ("1 of 2 paid tools is not used daily ($19.99 a month).",)


@pytest.mark.parametrize(
    ("integrated", "reasons"),
    [
        (("", ""), ()),  # two tools: the integration rule needs at least 3
        (("x", "", ""), ("Only 1 of 3 tools is integrated with another system.",)),
        (("x", "x", ""), ()),  # 2 of 3 is more than half
        (("x", "x", "", ""), ()),  # exactly half is not fewer
        (("x", "", "", ""), ("Only 1 of 4 tools is integrated with another system.",)),
        (("x", "x", "", "", ""), ("Only 2 of 5 tools are integrated with another system.",)),
        (("", "", ""), ("None of the 3 tools is integrated with another system.",)),
        (("  ", "\t", "x"), ("Only 1 of 3 tools is integrated with another system.",)),
    ],
)
def test_fewer_than_half_integrated_is_sprawl(integrated, reasons):
    summary = summarize_stack([tool(str(i), integrated=w) for i, w in enumerate(integrated)])
    assert summary.sprawl_reasons == reasons
    assert summary.sprawl is bool(reasons)


def test_blank_integration_text_does_not_count_as_integrated():
    summary = summarize_stack([tool("A", integrated="   "), tool("B", integrated="Slack")])
    assert summary.integrated_count == 1


def test_blank_names_are_still_counted():
    summary = summarize_stack([tool(""), tool("   ")])
    assert summary.tool_count == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cost": "-1"}, "monthly cost must be zero or more"),
        ({"cost": "NaN"}, "monthly cost must be zero or more"),
        ({"seats": -1}, "seats must be zero or more"),
    ],
)
def test_it_rejects_impossible_tools(kwargs, message):
    with pytest.raises(ValueError, match=message):
        summarize_stack([tool("Bad", **kwargs)])


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1240", "$1,240"),
        ("1240.00", "$1,240"),
        ("1240.5", "$1,240.50"),
        ("0", "$0"),
        ("0.005", "$0.01"),
        ("1234567.891", "$1,234,567.89"),
        ("999.999", "$1,000"),
    ],
)
def test_format_usd_drops_cents_only_when_whole(amount, text):
    assert format_usd(Decimal(amount)) == text


tools = st.builds(
    ToolInput,
    name=st.text(max_size=5),
    monthly_cost_usd=st.decimals(min_value=0, max_value=10_000, places=2),
    seats=st.integers(min_value=0, max_value=100),
    used_daily=st.booleans(),
    integrated_with=st.sampled_from(["", " ", "HubSpot", "Salesforce"]),
)


@given(st.lists(tools, max_size=15))
def test_counts_and_spend_always_add_up(items):
    summary = summarize_stack(items)
    assert summary.used_daily_count + summary.unused_count == summary.tool_count == len(items)
    assert 0 <= summary.unused_monthly_spend_usd <= summary.monthly_spend_usd
    assert summary.annual_spend_usd == summary.monthly_spend_usd * 12
    assert 0 <= summary.integrated_count <= summary.tool_count
    assert summary.sprawl is bool(summary.sprawl_reasons)
