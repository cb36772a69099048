"""WSGI entry point: ``gunicorn backstride.web.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backstride.web.settings")
application = get_wsgi_application()
