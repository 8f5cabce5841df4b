"""The insolvency dossier as one PDF: a cover with the index (each document with its folios),
the documents' own pages, and the manifest (every file with its SHA-256); every page
foliated in its top right corner, the way the paper file is (documentos/foliado.py)."""

from contextlib import ExitStack
from pathlib import Path

from .foliado import Hoja, Pieza, foliado_escribir, maquetar, pieza_preparar

__all__ = ["Pieza", "dossier_pdf"]

ANTES = [Hoja("indice", "expedientes/documentos/dossier_indice.html", "Índice")]
DESPUES = [Hoja("manifiesto", "expedientes/documentos/dossier_manifiesto.html", "Manifiesto")]


def dossier_pdf(*, piezas: list[Pieza], contexto: dict, destino: str | Path) -> dict:
    """Write the dossier to `destino`; the pieces get their folios. Returns the folios of
    the index, of the manifest and the total."""
    with ExitStack() as archivos:
        for pieza in piezas:
            pieza_preparar(pieza, archivos)
        hojas, folios = maquetar(piezas, contexto, antes=ANTES, despues=DESPUES)
        foliado_escribir(piezas=piezas, hojas=hojas, antes=ANTES, despues=DESPUES, folios=folios,
                         titulo=contexto["titulo"], destino=destino,
                         ayuda="Suba una versión legible o quite su actuación de la selección.")
    return folios
