"""A writer for test_backups: new patients, each with a plan and logged sessions, until told
to stop. Run as ``python -m tests.web.backup_writer STOPFILE`` with the settings' environment.

Each patient is written in one transaction (services do), so a consistent backup holds
every patient whole or not at all. Prints how many patients it committed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(stop: Path) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backstride.web.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.db import transaction

    from backstride.web.accounts.timezones import local_today
    from tests.web.conftest import log_session, make_plan, make_user

    written = 0
    while not stop.exists():
        with transaction.atomic():
            user = make_user(f"writer{written}@example.org")
            today = local_today(user.time_zone)
            plan = make_plan(user, start=today - timedelta(days=4))
            for ago in (4, 2, 0):
                log_session(user, plan, today - timedelta(days=ago), today=today)
        written += 1
        print(written, flush=True)
    return written


if __name__ == "__main__":
    main(Path(sys.argv[1]))
