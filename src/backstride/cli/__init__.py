"""The ``backstride`` command line (core and formats only; no Django)."""
