"""Production configuration fails closed, and the compose file stays valid."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
SECRETOS = {
    "DJANGO_SECRET_KEY": "una-clave-larga", "DATABASE_URL": "postgres://u:p@db/portal",
    "S3_ACCESS_KEY_ID": "clave", "S3_SECRET_ACCESS_KEY": "secreto", "DJANGO_ALLOWED_HOSTS": "x.example",
}


def _importar_produccion(**entorno):
    base = {k: v for k, v in os.environ.items() if k not in SECRETOS}
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings.production"],
        cwd=RAIZ, env=base | entorno, capture_output=True, text=True,
    )


def test_produccion_con_secretos_arranca():
    assert _importar_produccion(**SECRETOS).returncode == 0


@pytest.mark.parametrize("falta", sorted(SECRETOS))
def test_produccion_sin_secreto_o_con_marcador_no_arranca(falta):
    marcador = f"CAMBIE-{falta}"
    if falta == "DATABASE_URL":  # as docker-compose builds it
        marcador = "postgres://portal:CAMBIE-POSTGRES_PASSWORD@db:5432/portal"
    for valor in (None, marcador):
        entorno = dict(SECRETOS)
        if valor is None:
            del entorno[falta]
        else:
            entorno[falta] = valor
        resultado = _importar_produccion(**entorno)
        assert resultado.returncode != 0
        assert f"Defina en el entorno: {falta}" in resultado.stderr


def test_docker_compose_valido():
    docker_compose = shutil.which("docker-compose")
    assert docker_compose, "scripts/test.sh instala docker-compose (paquete de Debian)"
    entorno = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "DJANGO_", "POSTGRES"))}
    resultado = subprocess.run([docker_compose, "config", "-q"], cwd=RAIZ, env=entorno,
                               capture_output=True, text=True)
    assert resultado.returncode == 0, resultado.stderr
