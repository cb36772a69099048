"""Backup codes stored before they were hashed are replaced by their hashes.

The hash is ``two_factor.backup_code_stored``'s, written out here so this
migration keeps its meaning whatever that module becomes. Codes made before
were 8 characters; a stored hash is 16 hex digits, so a row is converted once.
"""

import hashlib

from django.db import migrations


def _stored(code: str) -> str:
    return hashlib.sha256("".join(code.split()).lower().encode()).hexdigest()[:16]


def hash_codes(apps, schema_editor):  # type: ignore[no-untyped-def]
    token_model = apps.get_model("otp_static", "StaticToken")
    for token in token_model.objects.all():
        if len(token.token) != 16:
            token.token = _stored(token.token)
            token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(hash_codes, migrations.RunPython.noop)]
