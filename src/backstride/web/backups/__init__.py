"""Backups: ``manage.py backup`` and ``manage.py restore``, each verified by checksums."""
