"""The OCR path vs. bare OCRmyPDF on the same generated scan, and its word accuracy.

    python benchmarks/ocr.py [--paginas 3] [--rondas 1] [--palabras 180] [--inclinacion 1.5]
                             [--dpi 300] [--base NOMBRE_bench]

Needs the services of scripts/devstack.py and their environment
(`eval "$(python scripts/devstack.py env --profile test)"`). Works in a database of its own,
`<the checkout's database>_ocr_bench` (dropped and migrated at every run, as
benchmarks/permissions.py does), and in a bucket of its own, emptied and removed at the end.

The scan: `--paginas` A4 pages of Spanish text with accents (portal/demo_escaneos.py), rendered
at `--dpi`, each page turned by ±`--inclinacion` degrees, blurred and speckled, as a PDF of
images with no text layer. Each round, in alternating order:
  bare  `ocrmypdf -l spa scan.pdf out.pdf` (the same interpreter's OCRmyPDF, all cores)
  path  version_texto_extraer() on the uploaded version: read from S3 and check the SHA-256,
        pypdf's look for own text, OCRmyPDF with the sidecar, the searchable PDF through the
        custody pipeline (clamd, S3), the pages and the custody log under the row lock
and prints pages/min of each and their ratio (goal ≥ 0.9×). Then the word accuracy of the
stored page text against the words drawn on the pages (case and accents must match; goal
≥ 98 %), of the accented words alone, and of the searchable PDF's text layer read back
with pypdf. The machine is shared: run it when it is quiet, and more
than one round, for numbers worth comparing."""

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from permissions import base_de_datos_preparar  # noqa: E402  sets DJANGO_SETTINGS_MODULE and the path

OBJETIVO_RAZON = 0.9
OBJETIVO_PRECISION = 0.98
MOTOR = []  # seconds of the OCRmyPDF child inside each run of the path


def _bucket_vaciar() -> None:
    from expedientes.custodia import almacen

    cliente = almacen.cliente()
    for version in almacen.versiones(prefijo=""):
        cliente.delete_object(Bucket=almacen.bucket(), Key=version["Key"], VersionId=version["VersionId"])
    for pagina in cliente.get_paginator("list_object_versions").paginate(Bucket=almacen.bucket()):
        for marca in pagina.get("DeleteMarkers", []):
            cliente.delete_object(Bucket=almacen.bucket(), Key=marca["Key"], VersionId=marca["VersionId"])
    cliente.delete_bucket(Bucket=almacen.bucket())


def _preparar():
    from django.core.management import call_command

    from expedientes.custodia import almacen
    from expedientes.models import TipoActuacion
    from expedientes.services.actuaciones import actuacion_registrar
    from permisos import roles
    from portal.inicializacion import portal_inicializar
    from tests.factories import expediente_crear, usuario_con_rol

    call_command("migrate", interactive=False, verbosity=0)
    almacen.bucket_preparar(object_lock=False)
    portal_inicializar(preparar_bucket=False)
    secretaria = usuario_con_rol(roles.ROL_SECRETARIA, username="secretaria_ocr_bench")
    expediente = expediente_crear(usuario=secretaria)
    actuacion = actuacion_registrar(expediente=expediente, tipo=TipoActuacion.AUTO_DE_PAGO,
                                    fecha=expediente.fecha_recepcion, usuario=secretaria)
    return actuacion, secretaria


def _desnudo(entrada: Path, directorio: Path) -> float:
    salida = directorio / "desnudo.pdf"
    inicio = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ocrmypdf", "-l", "spa", "--quiet", str(entrada), str(salida)],
                   check=True)
    return time.perf_counter() - inicio


def _camino(entrada: Path, n: int, actuacion, usuario) -> tuple[float, object]:
    from expedientes.models import EstadoTexto
    from expedientes.services.adjuntos import adjunto_crear
    from expedientes.services.texto import version_texto_extraer

    version = adjunto_crear(actuacion=actuacion, titulo=f"Escaneo {n}", flujo=io.BytesIO(entrada.read_bytes()),
                            nombre=f"escaneo-{n}.pdf", usuario=usuario)
    from expedientes import texto

    original = texto._ocr_ejecutar

    def cronometrado(*args, **kwargs):
        comienzo = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            MOTOR.append(time.perf_counter() - comienzo)

    texto._ocr_ejecutar = cronometrado
    inicio = time.perf_counter()
    try:
        version_texto_extraer(version_id=version.pk)
    finally:
        texto._ocr_ejecutar = original
    transcurrido = time.perf_counter() - inicio
    version.refresh_from_db()
    if version.texto_estado != EstadoTexto.OCR:
        sys.exit(f"el camino no reconoció el texto: {version.texto_estado} {version.texto_detalle}")
    return transcurrido, version


def _precisiones(referencia: list[list[str]], version) -> dict:
    from pypdf import PdfReader

    from expedientes.custodia import almacen
    from portal.demo_escaneos import precision_palabras

    textos = list(version.paginas_texto.order_by("numero").values_list("texto", flat=True))
    rendicion = version.rendicion
    cuerpo = almacen.abrir(almacen.ObjetoAlmacenado(rendicion.clave, rendicion.version_s3))
    capa = [p.extract_text() for p in PdfReader(io.BytesIO(cuerpo.read())).pages]
    todas = [p for pagina in referencia for p in pagina]
    acentuadas = [p for p in todas if not p.strip(".").isascii()]
    reconocidas = " ".join(textos).split()
    return {
        "palabras": len(todas),
        "precision": precision_palabras(todas, " ".join(textos)),
        "acentuadas": len(acentuadas),
        # accented words found among the recognised words (same case, same accents)
        "precision_acentuadas": (sum(1 for p in acentuadas if p.strip(".") in {r.strip(".,;:") for r in reconocidas})
                                 / len(acentuadas)) if acentuadas else 1.0,
        "paginas": len(textos),
        # the searchable PDF's own text layer, read back with pypdf (plain mode)
        "precision_capa": precision_palabras(todas, " ".join(capa)),
    }


def main() -> None:
    argumentos = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    argumentos.add_argument("--paginas", type=int, default=3)
    argumentos.add_argument("--rondas", type=int, default=1)
    argumentos.add_argument("--palabras", type=int, default=180, help="palabras por página")
    argumentos.add_argument("--inclinacion", type=float, default=1.5, help="grados")
    argumentos.add_argument("--dpi", type=int, default=300)
    argumentos.add_argument("--base", default=None, help="nombre de la base (debe terminar en _bench)")
    argumentos.add_argument("--json", action="store_true", help="también una línea JSON con los resultados")
    opciones = argumentos.parse_args()

    base, _ = base_de_datos_preparar(opciones.base, reusar=False, sufijo="_ocr_bench")
    import django

    django.setup()
    from portal.demo_escaneos import paginas_generar, pdf_escaneado

    print(f"Base {base}; {opciones.paginas} páginas por ronda, {opciones.rondas} ronda(s), "
          f"{opciones.dpi} dpi, inclinación ±{opciones.inclinacion}°.", flush=True)
    actuacion, usuario = _preparar()
    desnudos, caminos, precisiones = [], [], []
    try:
        with tempfile.TemporaryDirectory(prefix="ocr-bench-") as temporal:
            directorio = Path(temporal)
            for ronda in range(opciones.rondas):
                referencia = paginas_generar(paginas=opciones.paginas, palabras=opciones.palabras, semilla=ronda)
                entrada = directorio / f"escaneo-{ronda}.pdf"
                entrada.write_bytes(pdf_escaneado(referencia, dpi=opciones.dpi, inclinacion=opciones.inclinacion))
                orden = ("desnudo", "camino") if ronda % 2 == 0 else ("camino", "desnudo")
                for cual in orden:
                    if cual == "desnudo":
                        desnudos.append(_desnudo(entrada, directorio))
                    else:
                        segundos, version = _camino(entrada, ronda, actuacion, usuario)
                        caminos.append(segundos)
                        precisiones.append(_precisiones(referencia, version))
                print(f"  ronda {ronda + 1}: ocrmypdf {desnudos[-1]:.1f} s, camino {caminos[-1]:.1f} s, "
                      f"precisión {precisiones[-1]['precision']:.2%}", flush=True)
    finally:
        _bucket_vaciar()

    paginas = opciones.paginas
    ppm_desnudo = paginas / statistics.median(desnudos) * 60
    ppm_camino = paginas / statistics.median(caminos) * 60
    razon = ppm_camino / ppm_desnudo
    palabras = sum(p["palabras"] for p in precisiones)
    precision = sum(p["precision"] * p["palabras"] for p in precisiones) / palabras
    acentuadas = sum(p["acentuadas"] for p in precisiones)
    precision_acentuadas = sum(p["precision_acentuadas"] * p["acentuadas"] for p in precisiones) / max(acentuadas, 1)
    capa = sum(p["precision_capa"] * p["palabras"] for p in precisiones) / palabras
    print()
    print(f"{'':<34}{'páginas/min':>12}")
    print(f"{'ocrmypdf -l spa (solo)':<34}{ppm_desnudo:>12.1f}")
    print(f"{'camino del portal':<34}{ppm_camino:>12.1f}")
    print(f"razón camino/ocrmypdf: {razon:.2f}× (objetivo ≥ {OBJETIVO_RAZON}×) "
          f"{'OK' if razon >= OBJETIVO_RAZON else 'NO CUMPLE'}")
    print(f"precisión de palabras (texto guardado, con tildes): {precision:.2%} de {palabras} "
          f"(objetivo ≥ {OBJETIVO_PRECISION:.0%}) {'OK' if precision >= OBJETIVO_PRECISION else 'NO CUMPLE'}")
    print(f"  palabras con tilde, ñ o ü: {precision_acentuadas:.2%} de {acentuadas}")
    print(f"  la capa de texto del PDF guardado, leída con pypdf: {capa:.2%}")
    print(f"dentro del camino, OCRmyPDF tardó {sum(MOTOR)/len(MOTOR):.1f} s de {statistics.mean(caminos):.1f} s "
          "por documento (el resto: S3, SHA-256, pypdf, clamd, filas)")
    if opciones.json:
        print(json.dumps({"paginas_min_ocrmypdf": ppm_desnudo, "paginas_min_camino": ppm_camino, "razon": razon,
                          "precision": precision, "precision_acentuadas": precision_acentuadas,
                          "precision_capa": capa, "desnudos_s": desnudos, "caminos_s": caminos}))


if __name__ == "__main__":
    main()
