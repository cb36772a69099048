"""Core ``Activity`` and its run/walk ``Segments`` → ImportedActivity columns. The one place."""

from __future__ import annotations

from backstride.core.activity import Activity
from backstride.core.segmentation import Bout, Segments

MAX_TEXT = 100  # device and sport names from a file are claims of any length


def activity_fields(activity: Activity, segments: Segments) -> dict[str, object]:
    """The columns that hold what the file said and what segmentation found."""
    summary = segments.summary
    return {
        "source_format": str(activity.source_format),
        "sport": str(activity.sport),
        "original_sport": (activity.original_sport or "")[:MAX_TEXT],
        "device": (activity.device or "")[:MAX_TEXT],
        "start": activity.start,
        "duration_seconds": round(activity.duration, 1),
        "distance_m": activity.total_distance,
        "running_seconds": round(summary.running_seconds),
        "walking_seconds": round(summary.walking_seconds),
        "paused_seconds": round(summary.paused_seconds),
        "run_bouts": summary.run_bouts,
        "running_distance_m": summary.running_distance,
        "running_cadence": summary.running_cadence,
        "running_vertical_oscillation": summary.running_vertical_oscillation,
        "bouts": [bout_row(b) for b in segments.bouts],
        "warnings": [w[:300] for w in activity.warnings[:20]],
    }


def bout_row(bout: Bout) -> dict[str, object]:
    """One bout as JSON: seconds since the start, metres, steps a minute."""
    return {
        "kind": str(bout.kind),
        "start": round(bout.start, 1),
        "duration": round(bout.duration, 1),
        "distance": None if bout.distance is None else round(bout.distance, 1),
        "cadence": None if bout.cadence is None else round(bout.cadence, 1),
    }
