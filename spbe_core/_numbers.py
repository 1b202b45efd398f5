"""Publishing exact values: half-up rounding to 2 decimals and Indonesian formatting."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

DECIMALS = 2


def publish(value: Fraction, decimals: int = DECIMALS) -> Decimal:
    """Round half away from zero to `decimals` places: 64/28 -> 2.29, 2.285 -> 2.29."""
    # floor(|n/d| x scale + 1/2) in integers: no Fraction arithmetic (the calculator publishes
    # a dozen figures per request).
    n, d = abs(value.numerator), value.denominator
    magnitude = (2 * n * 10**decimals + d) // (2 * d)
    rounded = Decimal(magnitude).scaleb(-decimals)
    return -rounded if value < 0 and magnitude else rounded


def format_number(
    value: Decimal | Fraction, decimals: int = DECIMALS, *, signed: bool = False
) -> str:
    """Indonesian notation with a decimal comma: 2,64; `signed` adds + to positive changes."""
    published = publish(value, decimals) if isinstance(value, Fraction) else value
    text = f"{published:.{decimals}f}".replace(".", ",")
    if signed and published > 0:
        return f"+{text}"
    return text.replace("-", "−")  # a real minus sign reads better than a hyphen
