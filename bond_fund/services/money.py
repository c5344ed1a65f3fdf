"""Money as U.S. Spanish and English both write dollars: $1,500.00."""


def money(cents: int | None) -> str:
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(int(cents)), 100)
    return f"{sign}${dollars:,}.{rest:02d}"


def parse_money(text: str) -> int | None:
    """'1,500', '$1500.5', '1500.50' -> cents; None if it is not an amount."""
    from decimal import Decimal, InvalidOperation

    cleaned = (text or "").strip().replace("$", "").replace(",", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > Decimal("100000000"):
        return None
    cents = value * 100
    if cents != cents.to_integral_value():
        return None
    return int(cents)
