"""Descriptive statistics for the trial-style cohort report (CLINICAL.md section 4).

Mean and sample SD for adherence; mean with a 95% confidence interval from
Student's t distribution for changes from baseline. Standard library only:
the t quantile is found by bisection on the t CDF, which is computed from the
regularized incomplete beta function by its continued fraction (modified
Lentz's method; Numerical Recipes, 3rd ed., section 6.4).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from backstride.core import fields as f
from backstride.core.errors import BackstrideError

CI_LEVEL = 0.95
_CF_MAX_ITERATIONS = 10_000  # converges in O(sqrt(max(a, b))) steps; df 1e6 needs ~2,000
_CF_EPSILON = 1e-15
_TINY = 1e-300  # Lentz: stands in for a zero denominator
_BISECTION_STEPS = 200  # far more than the ~60 halvings a double can take


def mean_sd(values: Sequence[float]) -> tuple[float, float | None]:
    """The mean and the sample standard deviation (n - 1), in the values' units.

    The SD is ``None`` for a single value. No values, or a value that is not
    a finite number, raises :class:`BackstrideError` naming ``values``.
    """
    data = _finite(values)
    return statistics.fmean(data), statistics.stdev(data) if len(data) > 1 else None


def mean_ci95(values: Sequence[float]) -> tuple[float, float | None, float | None]:
    """The mean and its 95% confidence interval ``(mean, low, high)``, by Student's t.

    ``low`` and ``high`` are ``None`` for a single value (no spread to judge).
    """
    mean, sd = mean_sd(values)
    if sd is None:
        return mean, None, None
    n = len(values)
    half_width = t_quantile(1 - (1 - CI_LEVEL) / 2, n - 1) * sd / math.sqrt(n)
    return mean, mean - half_width, mean + half_width


def t_quantile(p: float, df: float) -> float:
    """The ``t`` with ``student_t_cdf(t, df) == p``, for ``0 < p < 1`` and ``df > 0``."""
    _require_open_unit(p, "p")
    _require_positive(df, "df")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1 - p, df)
    high = 1.0
    while student_t_cdf(high, df) < p:
        high *= 2
    return _bisect(p, df, 0.0, high)


def student_t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t distribution with ``df`` degrees of freedom."""
    _require_positive(df, "df")
    if math.isinf(t):
        return 1.0 if t > 0 else 0.0
    # P(|T| > |t|) = I_x(df/2, 1/2) with x = df / (df + t²). Near t = 0, x is close
    # to 1 and 1 - x loses its digits, so use I_x(a, b) = 1 - I_{1-x}(b, a) with
    # 1 - x = t² / (df + t²) computed directly.
    t2 = t * t
    if t2 < df:
        tail = (1 - regularized_incomplete_beta(t2 / (df + t2), 0.5, df / 2)) / 2
    else:
        tail = regularized_incomplete_beta(df / (df + t2), df / 2, 0.5) / 2
    return 1 - tail if t > 0 else tail


def regularized_incomplete_beta(x: float, a: float, b: float) -> float:
    """I_x(a, b) for ``0 <= x <= 1`` and ``a, b > 0``."""
    if not 0 <= x <= 1:
        raise BackstrideError("x", f"must be between 0 and 1, not {x!r}")
    if x in (0, 1):
        return float(x)
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
        + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The continued fraction converges fast below the mean (a + 1) / (a + b + 2);
    # above it, use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a).
    if x < (a + 1) / (a + b + 2):
        return front * _beta_continued_fraction(x, a, b) / a
    return 1 - front * _beta_continued_fraction(1 - x, b, a) / b


def _beta_continued_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of I_x(a, b), evaluated by the modified Lentz method."""
    c, d = 1.0, 1 / _nonzero(1 - (a + b) * x / (a + 1))
    result = d
    for m in range(1, _CF_MAX_ITERATIONS + 1):
        for coefficient in (_even_term(m, x, a, b), _odd_term(m, x, a, b)):
            d = 1 / _nonzero(1 + coefficient * d)
            c = _nonzero(1 + coefficient / c)
            result *= d * c
        if abs(d * c - 1) < _CF_EPSILON:
            return result
    raise ArithmeticError(f"incomplete beta did not converge for x={x}, a={a}, b={b}")


def _even_term(m: int, x: float, a: float, b: float) -> float:
    return m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))


def _odd_term(m: int, x: float, a: float, b: float) -> float:
    return -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))


def _nonzero(value: float) -> float:
    return value if abs(value) >= _TINY else _TINY


def _bisect(p: float, df: float, low: float, high: float) -> float:
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if student_t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _finite(values: Sequence[float]) -> list[float]:
    if isinstance(values, str) or not isinstance(values, Sequence) or not values:
        raise BackstrideError("values", "needs at least one number")
    return [f.number(v, f"values[{i}]", BackstrideError) for i, v in enumerate(values)]


def _require_open_unit(value: float, field: str) -> None:
    if not 0 < f.number(value, field, BackstrideError) < 1:
        raise BackstrideError(field, f"must be strictly between 0 and 1, not {f.shown(value)}")


def _require_positive(value: float, field: str) -> None:
    if not f.number(value, field, BackstrideError) > 0:
        raise BackstrideError(field, f"must be a number above 0, not {f.shown(value)}")
