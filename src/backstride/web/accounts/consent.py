"""The consent text is versioned; a new version asks everyone to consent again."""

from __future__ import annotations

CURRENT_VERSION = "2025-01"
TEMPLATES = {CURRENT_VERSION: "accounts/consent/2025-01.html"}
