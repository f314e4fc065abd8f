"""A quote's amounts, as pure functions of its lines (no database).

Each line is rounded to the cent on its own (ROUND_HALF_UP): its net amount is quantity × unit
price × (1 − discount / 100), its tax the net amount × rate / 100; a quote's totals are the sums
of these rounded line amounts, so the lines printed add up to the totals printed.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def to_cent(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def line_net(quantity: int | Decimal, unit_price: Decimal, discount: Decimal) -> Decimal:
    """quantity × unit price × (1 − discount/100), rounded to the cent."""
    return to_cent(
        Decimal(quantity) * Decimal(unit_price) * (HUNDRED - Decimal(discount)) / HUNDRED
    )


def line_tax(net: Decimal, rate: Decimal) -> Decimal:
    """The tax of a line's (rounded) net amount at `rate` %, rounded to the cent."""
    return to_cent(Decimal(net) * Decimal(rate) / HUNDRED)


class LineInput(NamedTuple):
    quantity: int | Decimal
    unit_price: Decimal
    discount: Decimal
    tax_rate: Decimal


class Totals(NamedTuple):
    net: Decimal
    tax: Decimal
    gross: Decimal
    max_discount: Decimal


def totals(lines: Iterable[LineInput]) -> Totals:
    """The sums of the lines' rounded net and tax amounts, their sum, and the largest discount."""
    net = tax = Decimal("0.00")
    max_discount = Decimal("0.00")
    for line in lines:
        line_amount = line_net(line.quantity, line.unit_price, line.discount)
        net += line_amount
        tax += line_tax(line_amount, line.tax_rate)
        max_discount = max(max_discount, Decimal(line.discount))
    return Totals(net=net, tax=tax, gross=net + tax, max_discount=max_discount)


def split_for_order(quantity: int, net: Decimal) -> list[tuple[int, Decimal]]:
    """A line's quantity and net amount as at most two (count, unit price) pairs whose
    Σ count × unit price is exactly `net`: orders store whole-cent unit prices and no discount,
    so q units worth N cents become r units at ⌊N/q⌋ + 1 cents and q − r at ⌊N/q⌋ cents
    (r = N mod q)."""
    cents = int(to_cent(net) / CENT)
    low, extra = divmod(cents, quantity)
    parts = [(extra, Decimal(low + 1) * CENT), (quantity - extra, Decimal(low) * CENT)]
    return [(count, price) for count, price in parts if count]
