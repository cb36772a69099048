"""Benchmarks run by `make bench` (timed) and, once each, by `make test` (smoke)."""
