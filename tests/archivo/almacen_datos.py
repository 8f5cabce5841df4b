"""Reaching behind the S3 API into SeaweedFS's own volume files, as whoever holds the data
directory could: the fixity audit must notice a byte changed there (test_fijeza.py and the
end-to-end test)."""

import io
import os
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

from expedientes.custodia import almacen


def pdf_unico(tamano=96 * 1024) -> tuple[io.BytesIO, bytes]:
    """A PDF with a unique marker followed by random bytes: big enough to be kept in a volume
    file (not inline in the filer's metadata) and incompressible (stored as is)."""
    marca = b"FIJEZA-" + os.urandom(16).hex().encode()
    cuerpo = b"%PDF-1.4\n% " + marca + b"\n%" + os.urandom(tamano) + b"\n%%EOF\n"
    return io.BytesIO(cuerpo), marca


def _directorio_de_datos() -> Path | None:
    """The data directory of the SeaweedFS answering on the S3 port: WEED_DATA_DIR if set, else
    the `-dir=` of the running `weed` process serving that port (the services are shared
    between checkouts: scripts/devstack.py starts it with -dir=<clone>/.devstack/s3), else
    this checkout's .devstack/s3."""
    if os.environ.get("WEED_DATA_DIR"):
        return Path(os.environ["WEED_DATA_DIR"])
    puerto = urlparse(settings.STORAGES["custodia"]["OPTIONS"]["endpoint_url"]).port or 8333
    for proceso in Path("/proc").glob("[0-9]*"):
        try:
            argv = (proceso / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if argv and Path(argv[0]).name == "weed" and f"-s3.port={puerto}" in argv:
            directorio = next((a.split("=", 1)[1] for a in argv if a.startswith("-dir=")), None)
            if directorio:
                return Path(directorio)
    return Path(settings.BASE_DIR) / ".devstack" / "s3"


def volumenes(marca: bytes) -> list[tuple[Path, int]]:
    """(volume file, offset) of every copy of the marker among the bucket's volume files."""
    directorio = _directorio_de_datos()
    if directorio is None or not directorio.is_dir():
        pytest.skip("No se encontró el directorio de datos de SeaweedFS (defina WEED_DATA_DIR).")
    encontrados = []
    for ruta in directorio.rglob(f"{almacen.bucket()}_*.dat"):
        datos = ruta.read_bytes()
        encontrados += [(ruta, m.start()) for m in re.finditer(re.escape(marca), datos)]
    return encontrados


@contextmanager
def byte_alterado(marca: bytes):
    """One byte flipped in the stored copy of the file that carries `marca`, inside its random
    bytes (not the PDF's syntax); put back on leaving."""
    copias = volumenes(marca)
    if not copias:
        pytest.skip("Los datos del almacén no están en un directorio legible desde aquí.")
    assert len(copias) == 1, copias
    ruta, desplazamiento = copias[0]
    posicion = desplazamiento + len(marca) + 1000
    with open(ruta, "r+b") as volumen:
        volumen.seek(posicion)
        original = volumen.read(1)
        volumen.seek(posicion)
        volumen.write(bytes([original[0] ^ 0x01]))
    try:
        yield
    finally:
        with open(ruta, "r+b") as volumen:
            volumen.seek(posicion)
            volumen.write(original)
