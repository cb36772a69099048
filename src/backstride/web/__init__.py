"""The Backstride web app: a thin Django layer over ``backstride.core``.

Apps: ``accounts`` (users, roles, consent), ``programs`` (screening, plan),
``runlog`` (session logs, check-ins, decisions, progress), ``safety`` (the
red-flag running lock) and ``education`` (myth-and-fact cards).
"""
