#!/usr/bin/env bash
# README command (b): the whole test suite against the real PostgreSQL, S3 (SeaweedFS), clamd
# and headless Chromium. Arguments go to pytest (e.g. ./scripts/test.sh -k custodia -x).
# Stops only the services this script started; exits with pytest's status.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BOOTSTRAP_WITH_CHROMIUM=1
# shellcheck source=scripts/bootstrap.sh
source scripts/bootstrap.sh

owner="test-$$"
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    python scripts/devstack.py down --owner "$owner" || true
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python scripts/devstack.py up --profile test --owner "$owner"
eval "$(python scripts/devstack.py env --profile test)"

echo "==> python -m pytest $*"
status=0
python -m pytest "$@" || status=$?
exit "$status"
