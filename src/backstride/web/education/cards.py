"""Education cards: myths and facts, in our own words, each citing registry ids.

The ids must exist in ``backstride.core.evidence.SOURCES`` (a test checks).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Card:
    slug: str
    myth: Promise
    fact: Promise
    body: tuple[Promise, ...]
    sources: tuple[str, ...]


CARDS: tuple[Card, ...] = (
    Card(
        "hurt-is-not-harm",
        _("“If running hurts my back, it must be damaging it.”"),
        _("Hurt does not mean harm."),
        (
            _("When your back is already sore, many ordinary things can hurt: sitting, "
              "bending, walking, running. The pain tells you the back is sensitive right now, "
              "not that the activity is injuring it."),
            _("That is why the plan watches how your back responds, rather than avoiding every "
              "twinge: pain up to 5 out of 10 during a session is acceptable as long as it "
              "settles by the next morning."),
            _("Pain that rises above 5 out of 10 during a run, or that is clearly worse the "
              "next morning, is the signal to ease off, and the plan does it for you."),
        ),
        ("SEED-002", "SILBERNAGEL-2007"),
    ),
    Card(
        "runners-discs",
        _("“Running wears out the discs in your spine.”"),
        _("Runners' discs tend to be healthier, not worse."),
        (
            _("Scans of long-term runners found that their lumbar discs had aged less than "
              "those of people who did not run, and the more years and distance people had "
              "run, the better their discs looked."),
            _("Discs seem to respond to the repeated, moderate loading of running at an easy "
              "pace: in one study, runners' discs held more water and were larger."),
            _("This does not mean more is always better: the plan builds up slowly, one small "
              "step at a time."),
        ),
        ("MITCHELL-2020", "BELAVY-2017", "SEED-002"),
    ),
    Card(
        "what-the-trial-found",
        _("“With chronic low back pain, you should stop running.”"),
        _("A trial found graded run-walking helped."),
        (
            _("In the ASTEROID trial, adults with chronic low back pain who had not been "
              "running followed a 12-week run-walk program: three 30-minute sessions a week, "
              "with short running bouts that grew slowly."),
            _("Compared with people who did not run, they ended with less pain and less "
              "disability. Seven in ten kept to the program, and no serious injuries were "
              "reported."),
            _("Backstride follows the same dose. If you are outside the group the trial "
              "studied, the plan starts more gently and says so."),
        ),
        ("ASTEROID-2025", "SEED-000"),
    ),
    Card(
        "the-0-10-scale",
        _("“Any pain number is just a guess.”"),
        _("The 0-10 scale is useful when you use it the same way every time."),
        (
            _("0 means no pain at all; 10 means the worst pain you can imagine. Pick the "
              "number that fits your back at that moment, not how you feel in general."),
            _("What matters most is the change: before, during and after a session, and the "
              "next morning. A rise of 2 points the next morning means the session was too "
              "much; at or below your before-score means your back took it well."),
            _("Rate only your back with the main score. Knee, ankle, hip or foot pain has its "
              "own question, because it needs a different response."),
        ),
        ("SILBERNAGEL-2007", "OSTELO-2008", "ASTEROID-2025"),
    ),
    Card(
        "when-to-stop",
        _("“I should push through any symptom.”"),
        _("A few warning signs always come first."),
        (
            _("New trouble controlling the bladder or bowels, numbness around the genitals or "
              "buttocks, or weakness spreading in the legs need an emergency department now."),
            _("Fever, unexplained weight loss, a history of cancer or night pain that rest "
              "does not ease need a doctor within days. If you report any of these, Backstride "
              "stops running and tells you what to do."),
        ),
        ("IFOMPT-2020", "NICE-NG59"),
    ),
)
