"""Backstride's own settings, unchanged, plus the benchmark's minimal view and test client host.

Everything (middleware, sessions in the database, templates, PostgreSQL from
``DATABASE_URL``) is the production configuration read from the environment;
the load benchmark runs it with ``BACKSTRIDE_DEBUG=0``.
"""

from backstride.web.settings import *  # noqa: F403
from backstride.web.settings import ALLOWED_HOSTS

ROOT_URLCONF = "bench.site.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # the scaling part drives django.test.Client
