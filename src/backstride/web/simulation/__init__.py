"""Deterministic simulated patients for the demo clinic and the benchmarks (issue #4).

``patients`` plays each history through the real engine in memory;
``loader`` writes many of them with bulk inserts; ``demo`` is the demo clinic.
"""
