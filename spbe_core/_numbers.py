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


# An item's value: a whole level, or (frameworks with value_kind "decimal") an exact decimal
# value with at most VALUE_DECIMALS places, kept as a Fraction.
Level = int | Fraction
VALUE_DECIMALS = 4
VALUE_SCALE: int = 10**VALUE_DECIMALS  # a valid value times this is whole


def _format_level(value: Level | None, *, decimal: bool) -> str:
    """An item's value as users read it: "-" when empty, a whole level as is (3), a decimal
    value with a decimal comma and two to four decimals (3,00; 3,25; 3,1234)."""
    if value is None:
        return "-"
    if not decimal:
        return str(value)
    text = format_number(Fraction(value), VALUE_DECIMALS)
    return text[:-2] + text[-2:].rstrip("0") if text.endswith("0") else text


def _json_level(value: Level) -> int | float:
    """A value for JSON: an int, or the float whose shortest repr is the value's exact decimal
    text (true for every value with at most 15 significant digits, so 3,1234 is written 3.1234
    and read back exactly with parse_float=Decimal)."""
    if isinstance(value, int) or value.denominator == 1:
        return int(value)
    return float(value)
