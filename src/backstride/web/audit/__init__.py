"""The audit trail: who read or changed which patient's health data, when, from where.

Other apps call :func:`backstride.web.audit.services.audit_record` (writes,
exports) and :func:`~backstride.web.audit.services.audit_read` (scoped reads);
:class:`~backstride.web.audit.middleware.AuditMiddleware` is the fallback that
writes a row for any signed-in page nobody recorded. Rows are append-only:
see ``models.py`` and the PostgreSQL trigger in ``migrations/0002``.
"""
