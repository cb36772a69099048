#!/usr/bin/env bash
# `make lint`'s dependency audit: pip-audit over the project's virtualenv.
#
# Known vulnerabilities fail the lint. A dependency the vulnerability service
# cannot look up (an offline machine, a registry mirror without the PyPI JSON
# API) is NOT silently counted as clean: the script says loudly how many were
# not audited. Without any audited dependency it exits 0 with a NOT AUDITED
# banner, unless BACKSTRIDE_AUDIT_REQUIRED=1 (set it where PyPI's JSON API is
# reachable, so an audit that could not run fails).
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
report=$(mktemp)
trap 'rm -f "$report" "$report.err"' EXIT

"$VENV/bin/pip-audit" --progress-spinner off --format json --output "$report" \
  >/dev/null 2>"$report.err"
status=$?

"$VENV/bin/python" - "$report" "$status" "$report.err" <<'PY'
import json, os, sys
path, status, err = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    data = json.load(open(path))
except (OSError, ValueError):
    print("pip-audit: NOT AUDITED: pip-audit gave no report:")
    print(open(err).read()[-2000:])
    sys.exit(1 if os.environ.get("BACKSTRIDE_AUDIT_REQUIRED") == "1" else 0)
deps = data.get("dependencies", [])
vulnerable = [d for d in deps if d.get("vulns")]
skipped = [d for d in deps if d.get("skip_reason")]
audited = len(deps) - len(skipped)
for dep in vulnerable:
    for vuln in dep["vulns"]:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
        print(f"pip-audit: {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
if vulnerable:
    sys.exit(1)
if skipped:
    print(f"pip-audit: {len(skipped)} of {len(deps)} installed packages could NOT be audited "
          "(the vulnerability service has no record of them from this machine), e.g. "
          + ", ".join(f"{d['name']} {d.get('version', '')}".strip() for d in skipped[:3]))
if audited == 0:
    print("pip-audit: ======== NOT AUDITED: no dependency could be checked here ========")
    sys.exit(1 if os.environ.get("BACKSTRIDE_AUDIT_REQUIRED") == "1" else 0)
print(f"pip-audit: {audited} packages audited, no known vulnerability")
PY
