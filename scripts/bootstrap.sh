# shellcheck shell=bash
# Sourced by scripts/run.sh and scripts/test.sh (not executed on its own).
#
# 1. Installs the Debian packages the project needs, only if some are missing.
# 2. Creates .venv (Python 3.11 or 3.12) if missing.
# 3. Runs `pip install -e ".[dev]"` only when pyproject.toml changed since the last
#    successful install (hash kept in .venv/.portal-install.sha256).
# 4. Vendors the front-end libraries (pdf.js) with npm ci + scripts/estaticos.sh, only when
#    package-lock.json changed (hash kept in portal/static/vendor/.package-lock.sha256).
# 5. Puts .venv/bin first on PATH and exports REPO_ROOT and VENV_PY.
#
# Knobs (set before sourcing):
#   BOOTSTRAP_WITH_CHROMIUM=1   also install Debian's chromium (the browser tests need it)
#   PORTAL_PYTHON=/path/python  interpreter used to create .venv (default: python3, then
#                               python3.11, python3.12)
#
# pip honours the machine's own configuration (/etc/xdg/pip/pip.conf and its constraints
# file): nothing here overrides it.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

_bootstrap_fail() {
    echo "bootstrap: $*" >&2
    return 1
}

_bootstrap_apt() {
    # tesseract-ocr(-spa) and ghostscript: OCRmyPDF's engine and PDF tools (expedientes/services/texto.py);
    # postgresql-15-rum: the ranked full-text index of the reading room (expedientes/busqueda_texto.py)
    local pkgs=(postgresql clamav-daemon libmagic1 libpango-1.0-0 libpangoft2-1.0-0
                fonts-dejavu-core python3-venv tesseract-ocr tesseract-ocr-spa ghostscript
                postgresql-15-rum)
    # npm, only at build time: scripts/estaticos.sh vendors pdf.js (the reader's viewer).
    # A machine with its own Node (e.g. NodeSource) keeps it.
    command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
    if [[ "${BOOTSTRAP_WITH_CHROMIUM:-0}" == 1 ]]; then
        # the test command also checks docker-compose.yml with `docker-compose config -q`
        pkgs+=(chromium docker-compose)
    fi
    local missing=() p status
    for p in "${pkgs[@]}"; do
        status="$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)"
        [[ "$status" == installed ]] || missing+=("$p")
    done
    if ((${#missing[@]} == 0)); then
        echo "==> Debian packages: all present"
        return 0
    fi
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null || _bootstrap_fail "missing packages (${missing[*]}) and no sudo to install them" || return 1
        sudo=(sudo)
    fi
    echo "==> Debian packages: installing ${missing[*]}"
    local log
    log="$(mktemp)"
    # Keep the Debian services from starting at install time: devstack.py starts its own.
    if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q \
           && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        rm -f "$log"
        _bootstrap_fail "apt-get could not install: ${missing[*]}" || return 1
    fi
    rm -f "$log"
}

_bootstrap_python() {
    local candidates=()
    if [[ -n "${PORTAL_PYTHON:-}" ]]; then
        candidates=("$PORTAL_PYTHON")
    else
        candidates=(python3 python3.11 python3.12)
    fi
    local c version
    for c in "${candidates[@]}"; do
        command -v "$c" >/dev/null 2>&1 || continue
        version="$("$c" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)"
        if [[ "$version" == 3.11 || "$version" == 3.12 ]]; then
            command -v "$c"
            return 0
        fi
        echo "bootstrap: $c is Python ${version:-?}; this project needs 3.11 or 3.12" >&2
    done
    _bootstrap_fail "no Python 3.11 or 3.12 found (tried: ${candidates[*]}); install python3.11 or set PORTAL_PYTHON" || return 1
}

_bootstrap_venv() {
    local venv="$REPO_ROOT/.venv"
    if [[ -x "$venv/bin/python" ]] && ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] not in ((3, 11), (3, 12)))' 2>/dev/null; then
        _bootstrap_fail "$venv exists but its Python is not 3.11/3.12 (or is broken): remove it and run again" || return 1
    fi
    if [[ ! -x "$venv/bin/python" ]]; then
        local py
        py="$(_bootstrap_python)" || return 1
        echo "==> creating .venv with $py ($("$py" --version 2>&1))"
        "$py" -m venv "$venv" || _bootstrap_fail "could not create $venv" || return 1
    fi
    local want have=""
    want="$(sha256sum <"$REPO_ROOT/pyproject.toml" | cut -d' ' -f1)"
    [[ -f "$venv/.portal-install.sha256" ]] && have="$(cat "$venv/.portal-install.sha256")"
    if [[ "$want" == "$have" ]]; then
        echo "==> Python packages: up to date (pyproject.toml unchanged)"
        return 0
    fi
    echo "==> Python packages: pip install -e \".[dev]\" (log: .venv/pip-install.log)"
    local t0=$SECONDS
    if ! (cd "$REPO_ROOT" && "$venv/bin/python" -m pip install -q --disable-pip-version-check \
            -e ".[dev]") >"$venv/pip-install.log" 2>&1; then
        tail -n 30 "$venv/pip-install.log" >&2
        _bootstrap_fail "pip install failed (full log: $venv/pip-install.log)" || return 1
    fi
    echo "$want" >"$venv/.portal-install.sha256"
    echo "==> Python packages: installed in $((SECONDS - t0)) s"
}

_bootstrap_estaticos() {
    # pdf.js from the npm registry (package-lock.json), copied under portal/static/vendor/
    # (scripts/estaticos.sh); again only when the lock file changed or the copy is gone.
    local stamp="$REPO_ROOT/portal/static/vendor/.package-lock.sha256" want have=""
    want="$(sha256sum <"$REPO_ROOT/package-lock.json" | cut -d' ' -f1)"
    [[ -f "$stamp" ]] && have="$(cat "$stamp")"
    if [[ "$want" == "$have" && -f "$REPO_ROOT/portal/static/vendor/pdfjs/pdf.min.mjs" ]]; then
        echo "==> Front-end libraries: up to date (package-lock.json unchanged)"
        return 0
    fi
    echo "==> Front-end libraries: npm ci + copy (scripts/estaticos.sh)"
    "$REPO_ROOT/scripts/estaticos.sh" "$REPO_ROOT" || _bootstrap_fail "scripts/estaticos.sh failed (npm ci of package-lock.json)" || return 1
    echo "$want" >"$stamp"
}

_bootstrap_apt || return 1 2>/dev/null || exit 1
_bootstrap_venv || return 1 2>/dev/null || exit 1
_bootstrap_estaticos || return 1 2>/dev/null || exit 1

export VIRTUAL_ENV="$REPO_ROOT/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
export VENV_PY="$VIRTUAL_ENV/bin/python"
unset PYTHONHOME
