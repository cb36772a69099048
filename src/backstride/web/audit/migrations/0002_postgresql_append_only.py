"""On PostgreSQL, the database itself refuses to change or delete audit rows.

The app already refuses (``AuditEvent.save``/``delete`` and its queryset); these
triggers refuse the same to any SQL from the app's database role, so a bug,
an injected query or a hand-typed ``DELETE`` cannot rewrite history. A party
may only be unlinked from its account (``user_id`` set to NULL, for erasure);
its id and pseudonym never change and it is never deleted.

TRUNCATE is not covered (row triggers do not see it; Django's test flush uses
it): production should run the app under a role without the TRUNCATE
privilege and without ownership of these tables (docs/security.md).
SQLite has no such roles; this migration does nothing there.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event rows are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();

CREATE OR REPLACE FUNCTION audit_party_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       OR NEW.id <> OLD.id
       OR NEW.pseudonym <> OLD.pseudonym
       OR (NEW.user_id IS NOT NULL AND NEW.user_id IS DISTINCT FROM OLD.user_id) THEN
        RAISE EXCEPTION 'audit_party rows may only be unlinked from their account: % refused',
            TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_party_unlink_only
    BEFORE UPDATE OR DELETE ON audit_party
    FOR EACH ROW EXECUTE FUNCTION audit_party_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event;
DROP FUNCTION IF EXISTS audit_event_refuse_change();
DROP TRIGGER IF EXISTS audit_party_unlink_only ON audit_party;
DROP FUNCTION IF EXISTS audit_party_refuse_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)  # None: the SQL has literal % signs


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
