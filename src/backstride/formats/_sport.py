"""The file's sport words → :class:`~backstride.core.activity.Sport`.

FIT uses profile enum names (``running``, ``fitness_equipment`` + sub-sport
``treadmill``), TCX uses ``Running``/``Biking``/``Other``, GPX a free-text
``<type>`` (``running``, ``run``, ``Ride``...). Matching on word stems covers
all three.
"""

from __future__ import annotations

from backstride.core.activity import Sport

# Stems, checked in this order. "treadmill" and "jog" are running; "hik" is
# hiking (walking gait); "ride"/"bik"/"cycl" cover road_biking, e_biking,
# indoor_cycling, Strava's "Ride".
_STEMS: tuple[tuple[Sport, tuple[str, ...]], ...] = (
    (Sport.RUNNING, ("run", "jog", "treadmill")),
    (Sport.WALKING, ("walk", "hik")),
    (Sport.CYCLING, ("cycl", "bik", "ride")),
    (Sport.SWIMMING, ("swim",)),
)
# Sport values that say nothing by themselves: the sub-sport decides.
_VAGUE = {"", "generic", "fitness_equipment", "other", "all", "training"}


def normalise_sport(sport: str | None, sub_sport: str | None = None) -> Sport:
    """The normalised sport of a (sport, sub-sport) pair, ``OTHER`` if unknown."""
    main = (sport or "").strip().lower()
    found = _match(main)
    if found is None and main in _VAGUE:
        found = _match((sub_sport or "").strip().lower())
    return found or Sport.OTHER


def _match(word: str) -> Sport | None:
    if not word:
        return None
    for sport, stems in _STEMS:
        if any(stem in word for stem in stems):
            return sport
    return None


def combine_sports(
    words: list[tuple[str | None, str | None]],
) -> tuple[Sport, str | None, str | None]:
    """One (sport, original sport, original sub-sport) for a file's sessions.

    Transitions between legs are ignored. Several different sports make a
    multisport activity: ``OTHER``, ``"multisport"``, and the legs joined by
    ``+`` in file order as the sub-sport.
    """
    legs = [(s, sub) for s, sub in words if (s or "").lower() != "transition"]
    if not legs:
        legs = words
    if not legs:
        return Sport.OTHER, None, None
    sports = [normalise_sport(s, sub) for s, sub in legs]
    if len(set(sports)) == 1:
        sport, sub = legs[0]
        return sports[0], sport, sub
    names = list(dict.fromkeys(s or "unknown" for s, _ in legs))
    return Sport.OTHER, "multisport", "+".join(names)
