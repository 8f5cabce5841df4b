#!/usr/bin/env bash
# README command (a): the portal on http://127.0.0.1:8000 with real PostgreSQL, S3 (SeaweedFS)
# and clamd. Installs what is missing, starts (or reuses) the services, migrates, initialises,
# loads the demo data and serves. Ctrl-C stops the server and whatever this script started.
#   PORTAL_NO_SERVE=1 ./scripts/run.sh   does everything but serve, then stops (smoke check).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BOOTSTRAP_WITH_CHROMIUM=0
# shellcheck source=scripts/bootstrap.sh
source scripts/bootstrap.sh

owner="run-$$"
server_pid=""
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    echo "==> stopping the services this run started"
    python scripts/devstack.py down --owner "$owner" || true
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python scripts/devstack.py up --profile run --owner "$owner"
eval "$(python scripts/devstack.py env --profile run)"

echo "==> migrate"
python manage.py migrate --noinput
echo "==> portal_inicializar"
python manage.py portal_inicializar
# the queue's worker (background jobs: text and signatures of each new file, bulk letters,
# periodic reviews); stopped by the trap with the services
python scripts/devstack.py worker --profile run --owner "$owner"
echo "==> demo_cargar"
python manage.py demo_cargar

if [[ "${PORTAL_NO_SERVE:-0}" == 1 ]]; then
    echo "==> PORTAL_NO_SERVE=1: not serving; stopping"
    exit 0
fi

# A demonstration: jefe, archivista and admin sign in with the printed password alone, so
# anyone can try every role without an authenticator app. Said loudly here and by the
# system check permisos.W001 that runserver prints; PORTAL_OTP_OBLIGATORIO=1 keeps the codes.
export PORTAL_OTP_OBLIGATORIO="${PORTAL_OTP_OBLIGATORIO:-0}"
if [[ "$PORTAL_OTP_OBLIGATORIO" == 0 ]]; then
    echo "==> WARNING: demo mode, two-step verification (TOTP) is OFF for every role;"
    echo "    PORTAL_OTP_OBLIGATORIO=1 ./scripts/run.sh to require it as in production"
fi
echo "==> serving on http://127.0.0.1:8000/ (admin: /admin/); Ctrl-C to stop"
# In the background + wait, so a TERM/INT reaches the trap at once (bash runs traps only
# after a foreground command returns); the trap then stops the server and the services.
python manage.py runserver 127.0.0.1:8000 &
server_pid=$!
wait "$server_pid"
