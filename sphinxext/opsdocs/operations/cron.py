"""Cron expressions: what is wrong with one, and plain words for the common ones."""

from __future__ import annotations

MACROS = {
    "@yearly": "once a year, at midnight on 1 January",
    "@annually": "once a year, at midnight on 1 January",
    "@monthly": "at midnight on the first of every month",
    "@weekly": "at midnight every Sunday",
    "@daily": "every day at midnight",
    "@midnight": "every day at midnight",
    "@hourly": "at the start of every hour",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_FIELDS = (
    ("minute", 0, 59, ()), ("hour", 0, 23, ()), ("day of month", 1, 31, ()),
    ("month", 1, 12, _MONTHS), ("day of week", 0, 7, _DAYS),
)
_DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
              "Sunday")


def cron_problem(expression: str) -> str | None:
    """What is wrong with a cron *expression* (five fields or a macro), or ``None``."""
    text = expression.strip()
    if text.startswith("@"):
        if text.lower() in MACROS:
            return None
        return f"unknown macro {text!r}; use one of {', '.join(sorted(MACROS))}"
    fields = text.split()
    if len(fields) != len(_FIELDS):
        return (f"it has {len(fields)} fields, cron needs 5 (minute hour day-of-month month "
                "day-of-week), e.g. \"30 3 * * *\" for 03:30 every day")
    for value, (name, low, high, names) in zip(fields, _FIELDS, strict=True):
        for part in value.split(","):
            error = _part_problem(part, name, low, high, names)
            if error:
                return error
    return None


def _part_problem(part: str, name: str, low: int, high: int, names: tuple[str, ...]) -> str | None:
    base, _, step = part.partition("/")
    if step and (not _digits(step) or _int(step) == 0):
        return f"the step {_shown(step)} of the {name} field must be a positive number"
    if base == "*":
        return None
    bounds = base.split("-")
    if len(bounds) > 2 or not all(bounds):
        return (f"{_shown(part)} is not a valid {name}: use a number, a range like 1-5, a list "
                "or */N")
    numbers = [_number(bound, name, names) for bound in bounds]
    for bound, number in zip(bounds, numbers, strict=True):
        if number is None:
            return f"{_shown(bound)} is not a valid {name}"
        if not low <= number <= high:
            shown = number if len(bound) <= _MAX_DIGITS else _shown(bound)
            return f"{name} {shown} is out of range {low}-{high}"
    valid = [number for number in numbers if number is not None]
    return f"the {name} range {base!r} goes backwards" if valid != sorted(valid) else None


def _number(bound: str, name: str, names: tuple[str, ...]) -> int | None:
    if _digits(bound):
        return _int(bound)
    if bound.lower() in names:
        return names.index(bound.lower()) + (1 if name == "month" else 0)
    return None


def _digits(text: str) -> bool:
    """Whether *text* is a number cron reads: ASCII digits (``"²".isdigit()`` is true)."""
    return text.isascii() and text.isdigit()


#: More digits than any field of cron takes: such a number is out of range, not read.
_MAX_DIGITS = 6


def _int(digits: str) -> int:
    """*digits* (ASCII) as a number, one past any field's range when there are too many to
    read (Python refuses more than 4,300)."""
    stripped = digits.lstrip("0") or "0"
    return int(stripped) if len(stripped) <= _MAX_DIGITS else 10 ** _MAX_DIGITS


def _shown(text: str) -> str:
    """*text* quoted, shortened when long (a number of 5,000 digits)."""
    return repr(text) if len(text) <= 20 else repr(f"{text[:8]}...{text[-4:]}") + \
        f" ({len(text)} characters)"


def describe_cron(expression: str) -> str | None:
    """Plain words for the common shapes of a valid cron expression, else ``None``."""
    text = expression.strip().lower()
    if text in MACROS:
        return MACROS[text]
    fields = text.split()
    if len(fields) != 5 or not all(_digits(f) or f == "*" for f in fields):
        return None
    minute, hour, day, month, weekday = fields
    if not _digits(minute) or month != "*" or cron_problem(text) is not None:
        return None
    if hour == "*":
        return f"every hour at minute {int(minute)}" if day == weekday == "*" else None
    at = f"at {int(hour):02d}:{int(minute):02d}"
    if day == "*":
        return f"every day {at}" if weekday == "*" else f"every {_DAY_NAMES[int(weekday)]} {at}"
    return f"on day {int(day)} of every month {at}" if weekday == "*" else None
