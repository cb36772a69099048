"""Backstride: graded run-walk for people with back pain."""

__version__ = "0.1.0"
