"""Statistics for the cohort report: mean, SD and the t-based 95% CI (stdlib only)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.core.errors import BackstrideError
from backstride.core.outcomes import (
    mean_ci95,
    mean_sd,
    regularized_incomplete_beta,
    student_t_cdf,
    t_quantile,
)

# --- The t quantile against printed tables ---------------------------------------


@pytest.mark.parametrize(
    ("df", "expected"),
    [(1, 12.706), (2, 4.303), (5, 2.571), (10, 2.228), (30, 2.042), (1000, 1.962)],
)
def test_it_matches_the_t_table_at_97_5_percent(df: int, expected: float) -> None:
    assert expected == round(t_quantile(0.975, df), 3)


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [(0.95, 1, 6.314), (0.95, 10, 1.812), (0.995, 5, 4.032), (0.9, 30, 1.310)],
)
def test_it_matches_the_t_table_at_other_levels(p: float, df: int, expected: float) -> None:
    assert expected == round(t_quantile(p, df), 3)


def test_it_approaches_the_normal_quantile_for_many_degrees_of_freedom() -> None:
    assert 1.959964 == pytest.approx(t_quantile(0.975, 1_000_000), abs=1e-5)  # z(0.975)


def test_it_is_symmetric_about_zero() -> None:
    assert 0.0 == t_quantile(0.5, 7)
    assert t_quantile(0.025, 7) == -t_quantile(0.975, 7)


@given(st.floats(0.001, 0.999), st.floats(0.5, 500))
def test_the_quantile_inverts_the_cdf(p: float, df: float) -> None:
    assert p == pytest.approx(student_t_cdf(t_quantile(p, df), df), abs=1e-9)


@pytest.mark.parametrize(("p", "df"), [(0, 5), (1, 5), (1.5, 5), (0.975, 0), (0.975, -2)])
def test_it_refuses_a_probability_outside_0_to_1_or_degrees_of_freedom_not_above_0(
    p: float, df: float
) -> None:
    with pytest.raises(BackstrideError):
        t_quantile(p, df)


# --- The t CDF and the incomplete beta -------------------------------------------


def test_the_cdf_is_one_half_at_zero() -> None:
    assert 0.5 == student_t_cdf(0.0, 4)


def test_the_cdf_of_one_degree_of_freedom_is_the_cauchy_cdf() -> None:
    for t in (-3.0, -0.5, 0.7, 2.0, 40.0):
        assert 0.5 + math.atan(t) / math.pi == pytest.approx(student_t_cdf(t, 1), abs=1e-12)


def test_the_cdf_reaches_0_and_1_at_the_infinities() -> None:
    assert (0.0, 1.0) == (student_t_cdf(-math.inf, 3), student_t_cdf(math.inf, 3))


def test_the_incomplete_beta_is_x_for_a_uniform_distribution() -> None:
    for x in (0.0, 0.1, 0.5, 0.93, 1.0):
        assert x == pytest.approx(regularized_incomplete_beta(x, 1, 1), abs=1e-12)


def test_the_incomplete_beta_matches_its_binomial_closed_form() -> None:
    # I_x(2, 3) = P(Binomial(4, x) >= 2)
    for x in (0.05, 0.3, 0.6, 0.95):
        closed_form = 1 - (1 - x) ** 4 - 4 * x * (1 - x) ** 3
        assert closed_form == pytest.approx(regularized_incomplete_beta(x, 2, 3), abs=1e-12)


def test_the_incomplete_beta_refuses_x_outside_0_to_1() -> None:
    with pytest.raises(BackstrideError) as caught:
        regularized_incomplete_beta(1.2, 2, 3)
    assert "x" == caught.value.field


# --- Mean, SD and the 95% CI -----------------------------------------------------


def test_it_gives_the_mean_and_the_sample_sd() -> None:
    mean, sd = mean_sd([2, 4, 4, 4, 5, 5, 7, 9])
    assert 5.0 == mean
    assert math.sqrt(32 / 7) == pytest.approx(sd)


def test_it_gives_no_sd_for_a_single_value() -> None:
    assert (0.7, None) == mean_sd([0.7])


def test_it_gives_a_95_percent_ci_by_the_t_distribution() -> None:
    mean, low, high = mean_ci95([1, 2, 3, 4, 5])
    half_width = 2.7764451051977987 * math.sqrt(2.5) / math.sqrt(5)  # t(0.975, 4)
    assert 3.0 == mean
    assert (3 - half_width, 3 + half_width) == pytest.approx((low, high), abs=1e-9)


def test_it_gives_a_zero_width_ci_for_identical_values() -> None:
    assert (-2.0, -2.0, -2.0) == mean_ci95([-2, -2, -2])


def test_it_gives_no_ci_for_a_single_value() -> None:
    assert (-3.0, None, None) == mean_ci95([-3])


@pytest.mark.parametrize(
    ("values", "field"),
    [([], "values"), ("123", "values"), ([1, math.nan], "values[1]"),
     ([math.inf, 1], "values[0]"), ([1, True], "values[1]"), ([1, "2"], "values[1]")],
)
def test_it_names_values_that_are_not_finite_numbers(values: object, field: str) -> None:
    with pytest.raises(BackstrideError) as caught:
        mean_ci95(values)  # type: ignore[arg-type]
    assert field == caught.value.field
