"""Custody pipeline vs. its raw parts, on the same 100 MB, in one run.

    python benchmarks/upload.py [--mb 100] [--rondas 3]

Needs the services of scripts/devstack.py (PostgreSQL, S3, clamd) and their environment
(`eval "$(python scripts/devstack.py env)"`). For each round it times:
  pipeline  custodiar(): spool + SHA-256 + libmagic + clamd INSTREAM + S3 put + row transaction
  raw       the protocol's floor: INSTREAM over a bare socket in 1 MiB chunks (no client
            library) + boto3 upload_file of the file (default transfer config)
and prints the ratio pipeline / raw, plus the pipeline's peak memory growth (tracemalloc
peak of Python allocations, and the process's max RSS growth).

clamd caches verdicts by content hash: every scan gets bytes it has not seen (a fresh
16-byte marker after the PDF header; the remaining bytes are the same in every round)."""

import argparse
import os
import resource
import socket
import statistics
import struct
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ["S3_BUCKET"] = os.environ.get("BENCH_S3_BUCKET", "portal-bench")

import django  # noqa: E402

django.setup()

from expedientes.custodia import almacen, custodiar  # noqa: E402

CABECERA = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def datos_preparar(ruta: Path, megabytes: int) -> None:
    with open(ruta, "wb") as f:
        f.write(CABECERA + os.urandom(16))
        restante = megabytes * 1_000_000 - len(CABECERA) - 16
        while restante > 0:
            bloque = os.urandom(min(restante, 4 << 20))
            f.write(bloque)
            restante -= len(bloque)


def marcar(ruta: Path) -> None:
    """New bytes for clamd's cache, same size and content otherwise."""
    with open(ruta, "r+b") as f:
        f.seek(len(CABECERA))
        f.write(os.urandom(16))


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ronda_pipeline(ruta: Path):
    marcar(ruta)
    objetos = []
    rss_antes = maxrss_mb()
    tracemalloc.start()
    inicio = time.perf_counter()
    with open(ruta, "rb") as flujo:
        custodiado = custodiar(flujo=flujo, nombre="bench.pdf", registrar=lambda c: c)
    segundos = time.perf_counter() - inicio
    _, pico = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    objetos.append(custodiado.objeto)
    return segundos, pico / 2**20, maxrss_mb() - rss_antes, objetos


def instream_crudo(ruta: Path) -> bytes:
    conf = django.conf.settings.CUSTODIA
    if conf["CLAMD_SOCKET"]:
        s = socket.socket(socket.AF_UNIX)
        s.connect(conf["CLAMD_SOCKET"])
    else:
        s = socket.create_connection((conf["CLAMD_HOST"], conf["CLAMD_PORT"]))
    with s, open(ruta, "rb") as f:
        s.sendall(b"nINSTREAM\n")
        while bloque := f.read(1 << 20):
            s.sendall(struct.pack("!L", len(bloque)) + bloque)
        s.sendall(struct.pack("!L", 0))
        return s.makefile("rb").readline()


def ronda_cruda(ruta: Path):
    marcar(ruta)
    inicio = time.perf_counter()
    respuesta = instream_crudo(ruta)
    escaneo = time.perf_counter() - inicio
    assert respuesta.strip().endswith(b"OK"), respuesta
    clave = almacen.clave_nueva()
    inicio = time.perf_counter()
    almacen.cliente().upload_file(str(ruta), almacen.bucket(), clave)
    subida = time.perf_counter() - inicio
    version = almacen.cliente().head_object(Bucket=almacen.bucket(), Key=clave)["VersionId"]
    return escaneo, subida, [almacen.ObjetoAlmacenado(clave, version)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--rondas", type=int, default=3)
    args = parser.parse_args()

    almacen.bucket_preparar()
    limite = django.conf.settings.CUSTODIA["TAMANO_MAXIMO"]
    if args.mb * 1_000_000 > limite:
        sys.exit(f"{args.mb} MB supera CUSTODIA_TAMANO_MAXIMO ({limite} bytes)")
    with tempfile.TemporaryDirectory() as directorio:
        ruta = Path(directorio) / "datos.pdf"
        print(f"Preparando {args.mb} MB de bytes aleatorios...", flush=True)
        datos_preparar(ruta, args.mb)
        filas, creados = [], []
        for n in range(1, args.rondas + 1):
            # Alternate the order so neither side always runs on a warmer cache.
            if n % 2:
                p, pico, rss, o1 = ronda_pipeline(ruta)
                esc, sub, o2 = ronda_cruda(ruta)
            else:
                esc, sub, o2 = ronda_cruda(ruta)
                p, pico, rss, o1 = ronda_pipeline(ruta)
            creados += o1 + o2
            filas.append((p, esc, sub, pico, rss))
            print(f"ronda {n}: pipeline {p:6.2f} s | clamd {esc:5.2f} s + put {sub:5.2f} s = "
                  f"{esc + sub:6.2f} s | razón {p / (esc + sub):4.2f} | pico Python {pico:5.1f} MiB "
                  f"| RSS +{rss:5.1f} MiB", flush=True)
        for objeto in creados:
            almacen.eliminar(objeto)

    p = statistics.median(f[0] for f in filas)
    esc = statistics.median(f[1] for f in filas)
    sub = statistics.median(f[2] for f in filas)
    print()
    print(f"Mediana de {args.rondas} rondas, {args.mb} MB:")
    print(f"  pipeline completo          {p:6.2f} s  ({args.mb / p:5.1f} MB/s)")
    print(f"  clamd INSTREAM crudo       {esc:6.2f} s  ({args.mb / esc:5.1f} MB/s)")
    print(f"  boto3 upload_file crudo    {sub:6.2f} s  ({args.mb / sub:5.1f} MB/s)")
    print(f"  razón pipeline / (clamd + put) = {p / (esc + sub):.2f}")
    print(f"  pico de memoria del pipeline: Python {max(f[3] for f in filas):.1f} MiB, "
          f"RSS +{max(f[4] for f in filas):.1f} MiB (archivo de {args.mb} MB)")


if __name__ == "__main__":
    main()
