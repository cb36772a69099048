"""The JSON API at ``/api/v1/`` (django-ninja) and the personal access tokens it accepts."""
