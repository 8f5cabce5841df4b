"""Signature verification cost (expedientes/firmas.py), pure: no database, no S3.

    python benchmarks/firmas.py [--paginas 1,500] [--repeticiones 3]

Generated PDFs of N pages (each page draws its own text), signed with a test authority's
certificate (the generators of tests/expedientes/test_firmas.py): signed once, signed twice
(the second signature is an allowed change for the first), and modified after signing (a new
drawing on page 1: pyHanko's difference analysis must find it). Prints ms per verification.
The diff analysis is what grows with the document: a file untouched since its last signature
costs the same at 1 and 500 pages."""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


def paginas_pdf(n: int) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    escritor = PdfWriter()
    fuente = escritor._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    for i in range(n):
        pagina = escritor.add_blank_page(612, 792)
        contenido = DecodedStreamObject()
        contenido.set_data(f"BT /F1 12 Tf 72 720 Td (Pagina {i + 1} del expediente) Tj ET".encode())
        pagina[NameObject("/Contents")] = escritor._add_object(contenido)
        pagina[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): fuente})})
    salida = io.BytesIO()
    escritor.write(salida)
    return salida.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paginas", default="1,500")
    parser.add_argument("--repeticiones", type=int, default=3)
    opciones = parser.parse_args()

    import django

    django.setup()
    from expedientes.firmas import estado_documento, firmas_leer
    from tests.expedientes.test_firmas import Autoridad, anadir_despues, firmar

    autoridad = Autoridad()
    primero, segundo = autoridad.firmante(), autoridad.firmante(nombre="JUAN ANDRADE", cedula="0102030405")
    for n in [int(p) for p in opciones.paginas.split(",")]:
        firmado = firmar(paginas_pdf(n), primero)
        casos = {"firmado": firmado, "dos firmas": firmar(firmado, segundo, campo="Firma2"),
                 "alterado": anadir_despues(firmado)}
        for nombre, contenido in casos.items():
            inicio = time.perf_counter()
            for _ in range(opciones.repeticiones):
                firmas = firmas_leer(contenido)
            ms = (time.perf_counter() - inicio) / opciones.repeticiones * 1000
            print(f"{n:5d} páginas  {nombre:10s}  {len(contenido) / 1024:7.0f} KiB  "
                  f"{estado_documento(firmas):9s}  {ms:7.0f} ms por verificación")


if __name__ == "__main__":
    main()
