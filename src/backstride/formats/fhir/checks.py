"""The checks a bundle passes before it leaves: base URL, entries, references, model errors."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from backstride.core.export_records import ExportError

_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")  # FHIR's id datatype
_BASE_URL = re.compile(r"urn:[A-Za-z0-9][A-Za-z0-9.:-]*|https?://\S+")


def checked_base_url(base_url: str) -> str:
    base = base_url.rstrip("/") if isinstance(base_url, str) else base_url
    if not isinstance(base, str) or not _BASE_URL.fullmatch(base) or base.endswith(":"):
        raise ExportError("base_url", f"must be a urn: or http(s):// URL, not {base_url!r}")
    return base


def check_entries(entries: Sequence[Mapping[str, Any]]) -> set[str]:
    """The bundle's fullUrls, once each check passes (bdl-7, transaction PUT rules)."""
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        resource, full_url = entry.get("resource"), entry.get("fullUrl")
        if not isinstance(resource, Mapping) or not isinstance(resource.get("id"), str):
            raise ExportError(f"entry[{i}].resource", "is missing or has no id")
        # The models accept any string as an id; FHIR does not.
        if not _FHIR_ID.fullmatch(resource["id"]):
            raise ExportError(f"entry[{i}].resource.id", f"{resource['id']!r} is not a FHIR id")
        if full_url in seen:
            raise ExportError(f"entry[{i}].fullUrl", f"{full_url} appears twice")
        if full_url != f"urn:uuid:{resource['id']}":
            raise ExportError(f"entry[{i}].fullUrl", f"{full_url} disagrees with the id")
        if entry.get("request") != {"method": "PUT",
                                    "url": f"{resource['resourceType']}/{resource['id']}"}:
            raise ExportError(f"entry[{i}].request", "must be PUT <type>/<id>")
        seen.add(full_url)
    return seen


def references(value: object) -> Iterator[str]:
    """Every ``reference`` string anywhere inside a resource."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                yield inner
            else:
                yield from references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from references(inner)


def model_error(bundle: Mapping[str, Any], exc: Exception) -> ExportError:
    """An ExportError naming the first invalid element, from a pydantic error."""
    errors = getattr(exc, "errors", None)
    details = errors() if callable(errors) else []
    if not details:
        return ExportError("bundle", str(exc))
    first = details[0]
    loc = [str(part) for part in first.get("loc", ())]
    field = "".join(f"[{part}]" if part.isdigit() else f".{part}" for part in loc).lstrip(".")
    where = ""
    entries = bundle.get("entry")
    if len(loc) > 1 and loc[0] == "entry" and loc[1].isdigit() and isinstance(entries, list):
        entry = entries[int(loc[1])] if int(loc[1]) < len(entries) else None
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if isinstance(resource, Mapping):
            where = f"{resource.get('resourceType')}/{resource.get('id')}: "
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    return ExportError(field or "bundle", f"{where}{first.get('msg', exc)}{more}")
