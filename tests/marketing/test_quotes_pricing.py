"""The quote amounts: each line rounded half up to the cent, totals the sums of rounded lines.
Expected values are worked out by hand (integer cents), not with the functions under test."""

from decimal import Decimal

import pytest

from marketing.pricing import LineInput, line_net, line_tax, split_for_order, totals

D = Decimal


@pytest.mark.parametrize(
    ("quantity", "price", "discount", "expected"),
    [
        (1, "0.01", "50", "0.01"),  # 0.005 rounds up
        (1, "0.03", "50", "0.02"),  # 0.015 rounds up (not to even)
        (1, "0.05", "10", "0.05"),  # 0.045 rounds up
        (3, "33.33", "0", "99.99"),
        (7, "1.15", "10", "7.25"),  # 7.245 → 7.25
        (1, "2.675", "0", "2.68"),  # a decimal half, no binary float error
        (5, "19.99", "100", "0.00"),  # 100 % discount
        (2, "0.00", "0", "0.00"),
        (1, "1234567.89", "12.5", "1080246.90"),  # 1080246.90375
    ],
)
def test_line_net_rounds_half_up_to_the_cent(quantity, price, discount, expected) -> None:
    assert line_net(quantity, D(price), D(discount)) == D(expected)


@pytest.mark.parametrize(
    ("net", "rate", "expected"),
    [
        ("0.05", "10", "0.01"),  # 0.005 → 0.01
        ("0.04", "13", "0.01"),  # 0.0052
        ("0.03", "13", "0.00"),  # 0.0039
        ("100.00", "13", "13.00"),
        ("7.25", "6", "0.44"),  # 0.435 → 0.44
        ("0.00", "13", "0.00"),
    ],
)
def test_line_tax_rounds_half_up_to_the_cent(net, rate, expected) -> None:
    assert line_tax(D(net), D(rate)) == D(expected)


def test_totals_sum_the_rounded_lines_not_the_exact_amounts() -> None:
    # Three lines of 0.005 net each: rounded per line 0.01 each, so 0.03 (the exact sum 0.015
    # rounded once would be 0.02).
    lines = [LineInput(1, D("0.01"), D("50"), D("13"))] * 3
    result = totals(lines)
    assert result.net == D("0.03")
    assert result.tax == D("0.00")  # 0.0013 per line
    assert result.gross == D("0.03")
    assert result.max_discount == D("50")


def test_totals_of_many_lines_equal_the_sum_of_integer_cents() -> None:
    lines = [LineInput(n % 7 + 1, D(f"{n}.{n % 100:02d}"), D(n % 30), D("13")) for n in range(500)]
    net_cents = tax_cents = 0
    for n in range(500):
        # quantity × price in cents × (100 − discount) / 100, half up, in integers
        exact = (n % 7 + 1) * (n * 100 + n % 100) * (100 - n % 30)  # cents × 100
        line_cents = (exact + 50) // 100
        net_cents += line_cents
        tax_cents += (line_cents * 13 + 50) // 100
    result = totals(lines)
    assert result.net == D(net_cents) / 100
    assert result.tax == D(tax_cents) / 100
    assert result.gross == result.net + result.tax
    assert result.max_discount == D(29)


def test_totals_of_no_lines_are_zero() -> None:
    assert totals([]) == (D("0.00"), D("0.00"), D("0.00"), D("0.00"))


@pytest.mark.parametrize(
    ("quantity", "net"), [(3, "100.01"), (1, "0.01"), (7, "7.25"), (4, "40.00"), (5, "0.00")]
)
def test_order_split_keeps_the_net_amount_exactly(quantity, net) -> None:
    parts = split_for_order(quantity, D(net))
    assert sum(count for count, _ in parts) == quantity
    assert sum(count * price for count, price in parts) == D(net)
    assert len(parts) <= 2
    assert all(price == price.quantize(D("0.01")) for _, price in parts)
