"""Issue 8, part 4: scale out. Two app servers over one PostgreSQL behind nginx, on loopback.

Two separate gunicorn processes (one sync worker each, so the pair has the
two workers of part 2) on two ports, sharing the database and the upload
directory, behind nginx (round robin, keep-alive to the upstreams) run as a
child process with its configuration in a temporary directory. Checked:

* a session started through one server (the real log-in form) is valid on
  the other (sessions live in the database, not in a process);
* a file uploaded through one server is downloadable through the other
  (uploads live in the shared ``BACKSTRIDE_MEDIA_DIR``: on real machines a
  shared volume or object storage, docs/deploy.md);
* the mixed load test of part 2, through nginx, has zero errors, and every
  log it had accepted is in the database.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from backstride.core.segmentation import BoutKind
from backstride.formats import synthetic
from bench import webapp
from bench.load import not_run, prepare
from bench.measure import Check, Section, table

TITLE = "4. Scale out: two app servers behind nginx"
NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 30m;
    upstream backstride {{
        server 127.0.0.1:{first};
        server 127.0.0.1:{second};
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://backstride;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
        }}
    }}
}}
"""
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_DETAIL = re.compile(r"/activities/(\d+)/$")


def nginx_binary() -> str | None:
    """nginx, installed with apt-get when missing and allowed (issue 8: as root)."""
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if found is None and shutil.which("apt-get") and _root():
        env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
        install = ["apt-get", "install", "-y", "-qq", "nginx"]
        if subprocess.run(install, env=env, capture_output=True, timeout=600).returncode:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True,
                           timeout=600)
            subprocess.run(install, env=env, capture_output=True, timeout=600)
        found = shutil.which("nginx") or ("/usr/sbin/nginx"
                                          if Path("/usr/sbin/nginx").exists() else None)
    return found


def _root() -> bool:
    return os.geteuid() == 0


@contextlib.contextmanager
def nginx(binary: str, port: int, upstreams: tuple[int, int]) -> Iterator[str]:
    """nginx in the foreground (``daemon off``) as our child, stopped in ``finally``."""
    with tempfile.TemporaryDirectory(prefix="bench-nginx-") as tmp:
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, first=upstreams[0],
                                          second=upstreams[1]))
        command = [binary, "-p", tmp, "-e", f"{tmp}/error.log", "-c", str(conf),
                   "-g", "daemon off;"]
        with webapp._process(command, {"PATH": "/usr/sbin:/usr/bin:/bin"}, "nginx",
                             cwd=Path(tmp)):
            base = f"http://{webapp.LOOPBACK}:{port}"
            webapp.wait_for(f"{base}/bench/minimal/", timeout=30)
            yield base


def session_crosses(first: str, second: str, patient: dict[str, Any]) -> tuple[bool, str]:
    """Log in through ``first``; is the session valid on ``second``?"""
    import requests

    account = webapp.sign_in(first, patient)
    response = requests.get(f"{second}/today/", allow_redirects=False, timeout=60,
                            cookies={"sessionid": account["sessionid"]})
    return response.status_code == 200, f"today via the other server: {response.status_code}"


def upload_crosses(first: str, second: str, account: dict[str, Any]) -> tuple[bool, str]:
    """Upload a recording through ``first``; download the original through ``second``."""
    import requests

    cookies = {"sessionid": account["sessionid"], "csrftoken": account["csrftoken"]}
    legs = [synthetic.Leg(BoutKind.RUN, 90), synthetic.Leg(BoutKind.WALK, 60)] * 6
    data = synthetic.synthetic_tcx(legs, seed=4)
    page = requests.get(f"{first}/activities/upload/", cookies=cookies, timeout=60)
    token = _CSRF.search(page.text)
    response = requests.post(
        f"{first}/activities/upload/", cookies=cookies, allow_redirects=False, timeout=120,
        data={"csrfmiddlewaretoken": token.group(1) if token else ""},
        files={"file": ("bench-run.tcx", data, "application/octet-stream")})
    found = _DETAIL.search(response.headers.get("Location", ""))
    if response.status_code != 302 or found is None:
        return False, f"upload answered {response.status_code}"
    original = requests.get(f"{second}/activities/{found.group(1)}/original/", cookies=cookies,
                            timeout=60)
    same = original.status_code == 200 and original.content == data
    return same, (f"upload → {found.group(0)}; original via the other server: "
                  f"{original.status_code}, {len(original.content)} of {len(data)} bytes "
                  f"{'identical' if same else 'DIFFERENT'}")


def run(*, smoke: bool = False) -> Section:
    if webapp.database_url() is None:
        return not_run("scale_out", TITLE, "DATABASE_URL is not a PostgreSQL URL")
    binary = nginx_binary()
    if binary is None:
        return not_run("scale_out", TITLE, "nginx is not installed and could not be")
    from bench.load import FULL, SMOKE

    plan = SMOKE if smoke else FULL
    webapp.django_ready()
    seeded = [webapp.seed_load_clinic(smoke)]
    ports = (webapp.free_port(), webapp.free_port())
    with tempfile.TemporaryDirectory(prefix="bench-scale-out-") as tmp:
        media = Path(tmp) / "media"  # shared by both servers, as a shared volume would be
        with webapp.gunicorn(ports[0], media, workers=1) as first, \
                webapp.gunicorn(ports[1], media, workers=1) as second, \
                nginx(binary, webapp.free_port(), ports) as front:
            users = Path(tmp) / "users.json"
            accounts = prepare(front, [s.clinic for s in seeded], plan.signed_in, users)
            patient = dict(accounts["patients"][-1])
            session_ok, session_note = session_crosses(first, second, patient)
            upload_ok, upload_note = upload_crosses(first, second, accounts["patients"][0])
            seconds = plan.mixed_seconds if smoke else 20
            mixed = webapp.locust(front, users, ["PatientUser", "ClinicianUser"],
                                  users=plan.mixed_patients + plan.mixed_clinicians,
                                  seconds=seconds, label="mixed through nginx")
    present = webapp.logs_present(mixed.accepted)
    errors = sum(e.failures for e in mixed.endpoints.values())
    rows = [(e.name, e.requests, f"{e.rps:.1f}", f"{e.p50:.0f}", f"{e.p95:.0f}", f"{e.p99:.0f}",
             e.failures) for e in sorted(mixed.endpoints.values(), key=lambda e: e.name)]
    checks = [
        Check("scale_out", "a session started through one server is valid on the other",
              session_note, session_ok),
        Check("scale_out", "an upload made through one server downloads through the other",
              upload_note, upload_ok),
        Check("scale_out", "the load test through nginx: zero errors", str(errors), errors == 0),
        Check("scale_out", "every log accepted through nginx is in the database",
              f"{present} of {len(mixed.accepted)}",
              present == len(mixed.accepted) and bool(mixed.accepted)),
    ]
    markdown = "\n\n".join([
        __doc__.split("\n\n", 1)[1].strip(),
        f"### Mixed load through nginx: {plan.mixed_patients} patients, "
        f"{plan.mixed_clinicians} clinicians, {seconds:.0f} s\n\n" + table(
            ["endpoint", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"], rows),
        "Failures:\n\n" + ("\n".join(f"- {f}" for f in mixed.failures) or "- none"),
        "nginx configuration used:\n\n```nginx" + NGINX_CONF.format(
            tmp="<temporary directory>", port="<front port>", first="<app 1 port>",
            second="<app 2 port>") + "```",
    ])
    return Section("scale_out", TITLE, markdown, checks)
