"""Benchmarks (issue 8): `make bench` runs them all and writes bench/results.md.

``python -m bench`` runs every part; ``--smoke`` runs each on tiny data in a
few seconds (CI does, so they cannot rot); ``--only imports,scaling`` runs some.
``test_engine.py`` holds the pytest-benchmark engine timings that `make test`
runs once each.
"""
