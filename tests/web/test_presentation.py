"""How a prescription reads (grouped bouts, timer steps) and the chart geometry."""

from __future__ import annotations

from datetime import date

from backstride.core.ladder import capped_session, no_running_session
from backstride.web.runlog import charts, presentation
from backstride.web.runlog.selectors import PainPoint, WeekMinutes


def test_repeated_bouts_are_grouped_and_the_padded_walk_stands_alone() -> None:
    session = capped_session(1, None).as_dict()
    groups = presentation.bout_groups(session["intervals"])
    assert [(g.repeats, g.run, g.walk) for g in groups] == [(10, 15, 90), (1, 15, 135)]


def test_the_timer_plays_every_step_in_order_with_words_to_say() -> None:
    steps = presentation.timeline(capped_session(3, None).as_dict())
    assert steps[0]["kind"] == "warm_up" and steps[-1]["kind"] == "cool_down"
    assert sum(s["seconds"] for s in steps) == 1800
    assert {s["say"] for s in steps if s["kind"] == "run"} == {"Run"}


def test_a_session_without_running_is_one_low_impact_step() -> None:
    steps = presentation.timeline(no_running_session("Swim or cycle").as_dict())
    assert [(s["kind"], s["seconds"]) for s in steps] == [("cross_training", 1800)]


def test_a_missing_value_breaks_the_pain_line() -> None:
    points = [PainPoint(date(2025, 3, d), 3, 2, m) for d, m in ((3, 2), (5, None), (7, 3))]
    chart = charts.pain_chart(points)
    morning = next(s for s in chart.series if s.css == "line-morning")
    assert morning.path.count("M") == 2 and len(morning.points) == 2
    assert not chart.empty


def test_bars_are_as_tall_as_the_minutes() -> None:
    chart = charts.minutes_chart([WeekMinutes(date(2025, 3, 3), 5.0),
                                  WeekMinutes(date(2025, 3, 10), 10.0)])
    assert chart.bars[1].height == 2 * chart.bars[0].height
