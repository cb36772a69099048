"""The invariants every Activity a reader returns must hold, whatever the input."""

from __future__ import annotations

import math
from datetime import timedelta

from backstride.core.activity import Activity, SourceFormat, Sport

# A human range for step rate (steps/min): a sprinter peaks near 230; watches
# report 0 when standing. 2 x 127 (the largest per-foot value seen in the
# corpus) is 254.
CADENCE_RANGE = (0.0, 300.0)
HEART_RATE_RANGE = (20.0, 250.0)


def assert_sane(activity: Activity) -> None:
    assert isinstance(activity.sport, Sport)
    assert isinstance(activity.source_format, SourceFormat)
    assert activity.samples, "an activity has samples"
    if activity.start is not None:
        assert activity.start.utcoffset() == timedelta(0), "start is aware UTC"
        assert activity.samples[0].time == activity.start
    assert activity.samples[0].elapsed == 0.0
    assert activity.duration > 0
    previous_elapsed, previous_distance = -math.inf, 0.0
    for sample in activity.samples:
        assert math.isfinite(sample.elapsed)
        assert sample.elapsed >= previous_elapsed, "sample times never go backwards"
        previous_elapsed = sample.elapsed
        if sample.time is not None:
            assert activity.start is not None
            assert sample.time.utcoffset() == timedelta(0)
            assert abs((sample.time - activity.start).total_seconds() - sample.elapsed) < 1e-3
        if sample.distance is not None:
            assert sample.distance >= 0, "distances are non-negative"
            assert sample.distance >= previous_distance - 1e-6, "cumulative distance never drops"
            previous_distance = sample.distance
        if sample.cadence is not None:
            assert CADENCE_RANGE[0] <= sample.cadence <= CADENCE_RANGE[1]
            assert activity.sport.on_foot, "cycling and swimming cadence is not a step rate"
        if sample.heart_rate is not None:
            assert HEART_RATE_RANGE[0] <= sample.heart_rate <= HEART_RATE_RANGE[1]
        if sample.speed is not None:
            assert sample.speed >= 0
        if sample.lat is not None or sample.lon is not None:
            assert sample.lat is not None and sample.lon is not None
            assert -90 <= sample.lat <= 90 and -180 <= sample.lon <= 180
    total = activity.total_distance
    assert total is None or total >= 0
