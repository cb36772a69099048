"""The run-walk level ladder and the prescription of one session.

Every session has the same shape (P-SHAPE): a 5-minute warm-up, a run-walk
block of at most 20 minutes, a 5-minute cool-down, 30 minutes in all (P-DOSE).
A level fixes the run bout, the walk bout and how many times the pair is
repeated; whatever is left of the block is easy walking.

The ladder is data, not a formula, so a clinician can read it. It was chosen so
that it honours three rules at once:

* P-START: the first run bouts last 15 s, the last ones 3 minutes;
* P-ONEVAR: two adjacent levels differ in the run bout or the walk bout, never
  both (the number of repeats is whatever fits in the block);
* P-CAP: each level's total running time is at most 110% of the level below,
  so a person who completes every session is never held back by the cap.

``tests/core/test_ladder.py`` checks all three.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from backstride.core.evidence import COOL_DOWN_SECONDS, SESSION_MINUTES, WARM_UP_SECONDS

BLOCK_SECONDS = SESSION_MINUTES * 60 - WARM_UP_SECONDS - COOL_DOWN_SECONDS
MIN_RUN_BOUT_SECONDS = 5  # P-CAP below level 1: bouts are shortened, never below this


@dataclass(frozen=True)
class Level:
    """One rung: ``repeats`` times (run ``run_seconds``, walk ``walk_seconds``)."""

    number: int
    run_seconds: int
    walk_seconds: int
    repeats: int

    @property
    def running_seconds(self) -> int:
        """Total running time of the block, in seconds."""
        return self.run_seconds * self.repeats

    @property
    def block_seconds(self) -> int:
        """Seconds taken by the repeated run-walk pairs (the rest is easy walking)."""
        return (self.run_seconds + self.walk_seconds) * self.repeats


# (run s, walk s, repeats), level 1 first. See the module docstring.
_RUNGS = (
    (15, 90, 11), (15, 85, 12), (18, 85, 11), (18, 80, 12), (21, 80, 11),
    (23, 80, 11), (25, 80, 11), (25, 75, 12), (30, 75, 11), (30, 65, 12),
    (30, 60, 13), (35, 60, 12), (38, 60, 12), (50, 60, 10), (55, 60, 10),
    (60, 60, 10), (80, 60, 8), (100, 60, 7), (110, 60, 7), (140, 60, 6),
    (180, 60, 5),
)

LADDER: tuple[Level, ...] = tuple(
    Level(number, run, walk, repeats) for number, (run, walk, repeats) in enumerate(_RUNGS, 1)
)
TOP_LEVEL = len(LADDER)


def level(number: int) -> Level:
    """The ladder's level ``number`` (1-based), clamped to the ladder's ends."""
    return LADDER[min(max(number, 1), TOP_LEVEL) - 1]


def highest_level_within(running_seconds: float) -> Level | None:
    """The highest level whose running time is at most ``running_seconds``, if any."""
    fitting = [lv for lv in LADDER if lv.running_seconds <= running_seconds]
    return fitting[-1] if fitting else None


class IntervalKind(StrEnum):
    WARM_UP = "warm_up"
    RUN = "run"
    WALK = "walk"
    COOL_DOWN = "cool_down"
    CROSS_TRAINING = "cross_training"


@dataclass(frozen=True)
class Interval:
    """One timed step of a session, as the interval timer and the watch show it."""

    kind: IntervalKind
    seconds: int
    note: str = ""


@dataclass(frozen=True)
class Prescription:
    """What to do in one session.

    ``level`` is ``None`` for a session without running (after ``pause_running``
    or ``stop``). ``capped`` says P-CAP shortened the level.
    """

    level: int | None
    intervals: tuple[Interval, ...]
    capped: bool = False

    @property
    def warm_up(self) -> tuple[Interval, ...]:
        return tuple(i for i in self.intervals if i.kind is IntervalKind.WARM_UP)

    @property
    def block(self) -> tuple[Interval, ...]:
        return tuple(i for i in self.intervals if i.kind in (IntervalKind.RUN, IntervalKind.WALK))

    @property
    def cool_down(self) -> tuple[Interval, ...]:
        return tuple(i for i in self.intervals if i.kind is IntervalKind.COOL_DOWN)

    @property
    def other(self) -> tuple[Interval, ...]:
        return tuple(i for i in self.intervals if i.kind is IntervalKind.CROSS_TRAINING)

    @property
    def running_seconds(self) -> int:
        return sum(i.seconds for i in self.intervals if i.kind is IntervalKind.RUN)

    @property
    def total_seconds(self) -> int:
        return sum(i.seconds for i in self.intervals)

    def as_dict(self) -> dict[str, object]:
        def rows(items: tuple[Interval, ...]) -> list[dict[str, object]]:
            return [{"kind": str(i.kind), "seconds": i.seconds, "note": i.note} for i in items]

        return {
            "level": self.level,
            "capped": self.capped,
            "warm_up": rows(self.warm_up),
            "intervals": rows(self.block),
            "cool_down": rows(self.cool_down),
            "other": rows(self.other),
            "total_running_seconds": self.running_seconds,
            "total_seconds": self.total_seconds,
        }


_STORED_PARTS = ("warm_up", "intervals", "cool_down", "other")


def prescription_from_dict(data: Mapping[str, object]) -> Prescription:
    """The prescription that :meth:`Prescription.as_dict` wrote (e.g. stored as JSON).

    A session is warm-up, block and cool-down, or cross-training alone, so the
    parts in that order are the intervals in order. ValueError on a malformed dict.
    """
    intervals: list[Interval] = []
    for part in _STORED_PARTS:
        rows = data.get(part, [])
        if not isinstance(rows, list):
            raise ValueError(f"prescription {part!r} must be a list")
        try:
            intervals += [Interval(IntervalKind(row["kind"]), int(row["seconds"]),
                                   str(row.get("note", ""))) for row in rows]
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"prescription {part!r}: malformed step ({exc!r})") from exc
    level_number = data.get("level")
    if level_number is not None and not isinstance(level_number, int):
        raise ValueError("prescription 'level' must be a whole number or null")
    return Prescription(level_number, tuple(intervals), capped=bool(data.get("capped", False)))


WARM_UP_NOTE = "Brisk walk, then dynamic mobility (leg swings, hip circles)"
COOL_DOWN_NOTE = "Easy walk, then static stretches"
RUN_NOTE = "Conversational pace: you can talk in full sentences"
WALK_NOTE = "Brisk walk"
RESTART_NOTE = "Brisk walk or low-impact cardio; running restarts at level 1 next time"


def run_walk_session(
    lv: Level, *, run_seconds: int | None = None, repeats: int | None = None
) -> Prescription:
    """The full 30-minute session for ``lv`` (P-SHAPE, P-PACE).

    ``run_seconds`` and ``repeats`` shorten the level (P-CAP below level 1); the
    walk bouts stay, and the block is padded with walking to its full length.
    """
    bout = lv.run_seconds if run_seconds is None else run_seconds
    count = lv.repeats if repeats is None else repeats
    steps: list[Interval] = [Interval(IntervalKind.WARM_UP, WARM_UP_SECONDS, WARM_UP_NOTE)]
    for _ in range(count):
        steps.append(Interval(IntervalKind.RUN, bout, RUN_NOTE))
        steps.append(Interval(IntervalKind.WALK, lv.walk_seconds, WALK_NOTE))
    used = (bout + lv.walk_seconds) * count
    if count == 0:
        steps.append(Interval(IntervalKind.WALK, BLOCK_SECONDS, WALK_NOTE))
    elif used < BLOCK_SECONDS:
        last = steps.pop()
        steps.append(Interval(IntervalKind.WALK, last.seconds + BLOCK_SECONDS - used, WALK_NOTE))
    steps.append(Interval(IntervalKind.COOL_DOWN, COOL_DOWN_SECONDS, COOL_DOWN_NOTE))
    capped = run_seconds is not None or repeats is not None
    return Prescription(lv.number, tuple(steps), capped=capped)


def capped_session(number: int, cap_seconds: float | None) -> Prescription:
    """Level ``number``'s session, lowered as P-CAP requires when ``cap_seconds`` binds.

    ``cap_seconds`` is 110% of the longest running time of the last 30 days, or
    ``None`` when there is no such history (then level 1 is the floor). When
    the cap binds, the highest level whose running time fits is used; when not
    even level 1 fits, level 1's run bouts are shortened.
    """
    wanted = level(number)
    if cap_seconds is None or wanted.running_seconds <= cap_seconds:
        return run_walk_session(wanted)
    fitting = highest_level_within(cap_seconds)
    if fitting is not None:
        session = run_walk_session(fitting)
        return Prescription(session.level, session.intervals, capped=True)
    first = LADDER[0]
    bout = int(cap_seconds // first.repeats)
    if bout >= MIN_RUN_BOUT_SECONDS:
        return run_walk_session(first, run_seconds=bout)
    # Bouts this short are not worth timing: keep 5 s bouts and do fewer of them.
    count = int(cap_seconds // MIN_RUN_BOUT_SECONDS)
    if count == 0:
        return no_running_session(RESTART_NOTE, capped=True)
    return run_walk_session(first, run_seconds=MIN_RUN_BOUT_SECONDS, repeats=count)


def no_running_session(activity: str, *, capped: bool = False) -> Prescription:
    """A session of low-impact cross-training only (after pause_running or stop)."""
    step = Interval(IntervalKind.CROSS_TRAINING, SESSION_MINUTES * 60, activity)
    return Prescription(None, (step,), capped=capped)
