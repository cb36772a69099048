"""Education cards and the source list."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from backstride.core.evidence import SOURCES
from backstride.web.education.cards import CARDS

pytestmark = pytest.mark.django_db


def test_every_card_cites_sources_that_exist_in_the_registry() -> None:
    for card in CARDS:
        assert card.sources, card.slug
        assert set(card.sources) <= set(SOURCES), card.slug


def test_the_cards_the_issue_asks_for_are_there() -> None:
    cited = {s for card in CARDS for s in card.sources}
    assert {"MITCHELL-2020", "BELAVY-2017", "ASTEROID-2025"} <= cited
    assert {"hurt-is-not-harm", "runners-discs", "what-the-trial-found",
            "the-0-10-scale"} <= {card.slug for card in CARDS}


def test_the_cards_and_sources_are_public(anonymous: Client) -> None:
    html = anonymous.get(reverse("education:cards")).content.decode()
    assert "Hurt does not mean harm." in html and "MITCHELL-2020" in html
    html = anonymous.get(reverse("education:sources")).content.decode()
    assert all(f'id="{s}"' in html for s in SOURCES)


def test_an_unknown_page_is_a_friendly_404(anonymous: Client, settings: object) -> None:
    response = anonymous.get("/no-such-page/")
    assert response.status_code == 404
