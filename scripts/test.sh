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
# No worker on this clone's own database: the tests that need the queue start a real worker
# against their test database (tests/portal/test_cola.py), which is where their jobs are.

# Every core works (pytest-xdist): each worker has its own test database (pytest-django) and
# its own S3 bucket (portal/settings/test.py). Tests are handed out one by one in collection
# order (--dist load), so each worker runs its plain database tests before its transactional
# ones, as pytest-django orders them (a transactional test ends with a flush that empties the
# database); within each kind, tests marked `lento` come first (tests/conftest.py).
# PYTEST_WORKERS sets how many (0: one process); an explicit -n among the arguments wins.
paralelo=(-n "${PYTEST_WORKERS:-auto}" --dist load)
for argumento in "$@"; do
    [[ "$argumento" == -n || "$argumento" == -n* || "$argumento" == --numprocesses* ]] && paralelo=()
done

echo "==> python -m pytest ${paralelo[*]} $*"
status=0
python -m pytest "${paralelo[@]}" "$@" || status=$?
exit "$status"
