"""Education cards, the source list, and the friendly error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backstride.core import evidence
from backstride.web.education.cards import CARDS


def cards(request: HttpRequest) -> HttpResponse:
    return render(request, "education/cards.html", {
        "cards": [(card, [(s, evidence.SOURCES[s].citation) for s in card.sources])
                  for card in CARDS],
    })


def sources(request: HttpRequest) -> HttpResponse:
    return render(request, "education/sources.html", {"sources": evidence.SOURCES.values()})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
