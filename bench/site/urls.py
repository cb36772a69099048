"""Backstride's URLs plus ``/bench/minimal/``: the cheapest response a Django view can give."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from backstride.web.urls import handler404, handler500
from backstride.web.urls import urlpatterns as app_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def minimal(request: HttpRequest) -> HttpResponse:
    """No database, no template: the baseline every page's throughput is divided by."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal, name="bench_minimal"), *app_urlpatterns]
