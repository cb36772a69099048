"""What the API accepts: strict types, unknown fields refused.

Strict means what a JSON client sends is taken as it is, never coerced:
``true`` is not a score, ``"3"`` is not a number, ``3.5`` is not an integer,
``1`` is not a boolean (pydantic's lax mode would turn ``false`` into ``0``).
``3.0`` is the integer 3, as JSON Schema's ``integer`` has it (JSON has one
number type; a client's serializer may well write 3.0).
Dates are ``YYYY-MM-DD`` strings and client ids canonical UUID strings, as the
schema says. Every input model forbids fields it does not declare, so posting
``patient_id``, ``clinic``, ``is_staff`` or ``role`` is a 422 naming that field
(mass assignment); who the data belongs to always comes from the credentials.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, Strict, StrictBool

from backstride.core import vocab
from backstride.core.history import MAX_RUN_SECONDS

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def _iso_date(value: Any) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError("Enter a date as YYYY-MM-DD, e.g. 2026-03-02.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("Enter a real date as YYYY-MM-DD, e.g. 2026-03-02.") from None


def _whole_number(value: Any) -> Any:
    """A float with nothing after the point is that integer; anything else goes on to the
    strict integer check (which refuses booleans, strings and fractions)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _uuid(value: Any) -> uuid.UUID:
    if not isinstance(value, str) or not _UUID.fullmatch(value):
        raise ValueError("Enter a UUID such as 0b6c2f3e-8d1a-4f5b-9c7e-2a4d6e8f0a1b.")
    return uuid.UUID(value)


Whole = BeforeValidator(_whole_number)
# The constraints before ``Whole``: after it, pydantic would write them into the schema as
# "ge"/"le" instead of "minimum"/"maximum".
Score = Annotated[int, Strict(), Field(ge=0, le=10, description="0 = no pain, 10 = the worst "
                                                                "pain imaginable."), Whole]
Day = Annotated[date, BeforeValidator(_iso_date)]
ClientId = Annotated[uuid.UUID, BeforeValidator(_uuid), Field(
    description="Made by the client, once per log (a UUID). Posting the same id again "
                "returns the row the first post made.")]
RedFlag = Literal[vocab.RED_FLAGS]  # type: ignore[valid-type]
Symptoms = Annotated[list[RedFlag], Field(  # type: ignore[valid-type]
    description="Red-flag symptoms new since the last log (ids from the vocabulary). Any one "
                "locks running until a clinician clears it.")]


class StrictIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")


class OtherPain(StrictIn):
    """Pain elsewhere (0-10) during the session; leave a site out for none."""

    knee: Score | None = None
    ankle: Score | None = None
    hip: Score | None = None
    foot: Score | None = None

    def scores(self) -> dict[str, int]:
        return {site: score for site in vocab.PAIN_SITES
                if (score := getattr(self, site)) is not None}


class SessionLogIn(StrictIn):
    """One session, logged afterwards (journey step 4).

    For ``done`` and ``partial``: the three back pain scores and the talk test
    are required; ``partial`` also needs ``run_seconds``. For ``missed`` they
    are ignored. ``walked_home`` (the timer's "pain over 5" button) needs
    ``pain_during`` above 5.
    """

    client_id: ClientId
    date: Day = Field(description="The local date of the session (not in the future).")
    status: Literal["done", "partial", "missed"]
    pain_before: Score | None = None
    pain_during: Score | None = None
    pain_after: Score | None = None
    talk_test_ok: StrictBool | None = Field(
        None, description="Could you talk in full sentences while running?")
    run_seconds: Annotated[int, Strict(), Field(ge=0, le=MAX_RUN_SECONDS), Whole] | None = Field(
        None, description="Seconds of running (not walking); leave out for 'as prescribed'.")
    other_pain: OtherPain = Field(default_factory=OtherPain)
    symptoms: Symptoms = Field(default_factory=list)
    walked_home: StrictBool = False


class CheckinIn(StrictIn):
    """The morning check-in: rest pain now, and last night's session's next-morning pain."""

    client_id: ClientId
    rest_pain: Score
    pain_next_morning: Score | None = Field(
        None, description="Back pain this morning; goes to yesterday's session, if there was "
                          "one (otherwise ignored).")
    symptoms: Symptoms = Field(default_factory=list)


class ActivityForm(StrictIn):
    """The fields that come with an uploaded file (multipart)."""

    date: Day | None = Field(None, description="The local date of the run; used only when the "
                                               "file has no start time.")
