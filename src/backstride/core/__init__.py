"""The pure clinical engine: triage, plans, progression, outcomes.

Only the standard library is imported here (a test enforces it). Every
function takes ``today`` and ids as arguments, so every decision can be
replayed exactly.
"""
