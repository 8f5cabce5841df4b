"""The reader (issue 12): where a file version sits among its expediente's folios, and which
page to open. Folios come from expedientes.folios, the one definition the search uses too.

A version that is not the vigente one of its file (an older version) is shown too, but its
pages carry no folio: the folios number the vigente versions only."""

from __future__ import annotations

from dataclasses import dataclass

from expedientes.folios import Documento, documento_del_folio, documentos_foliados
from expedientes.models import AdjuntoVersion, ExpedientePage

# What the browser shows by itself. TIFF is stored (scans) but Chromium and Firefox do not
# draw it: the reader says so and offers the download.
IMAGENES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
PDF = "application/pdf"


def rendicion_de(version: AdjuntoVersion):
    """The searchable PDF made from a scan (RendicionOCR, expedientes/services/texto.py), if any."""
    from expedientes.models import RendicionOCR

    return RendicionOCR.objects.filter(version=version).first()


def modo(version: AdjuntoVersion, rendicion=None) -> str:
    """«pdf», «imagen», «rendicion» (a TIFF scan shown through its OCR PDF) or «ninguno»
    (the reader shows the metadata and the download)."""
    if version.tipo_mime == PDF:
        return "pdf"
    if version.tipo_mime in IMAGENES:
        return "imagen"
    return "rendicion" if rendicion is not None and rendicion.tipo_mime == PDF else "ninguno"


@dataclass(frozen=True)
class Posicion:
    version: AdjuntoVersion
    expediente: ExpedientePage
    documentos: list[Documento]
    documento: Documento | None  # the folios of the version's file (its vigente version)
    vigente: bool  # the version shown is the one the folios number
    anterior: Documento | None
    siguiente: Documento | None

    @property
    def indice(self) -> int | None:  # 1-based place of the document in folio order
        return self.documentos.index(self.documento) + 1 if self.documento else None

    @property
    def total_folios(self) -> int:
        return self.documentos[-1].hasta if self.documentos else 0

    def folio(self, pagina: int) -> int | None:
        return self.documento.folio(pagina) if self.documento and self.vigente else None


def expediente_de(version: AdjuntoVersion) -> ExpedientePage:
    actuacion = version.adjunto.actuacion
    return ExpedientePage.objects.get(path=actuacion.path[:-ExpedientePage.steplen])


def posicion(version: AdjuntoVersion, expediente: ExpedientePage | None = None) -> Posicion:
    expediente = expediente or expediente_de(version)
    documentos = documentos_foliados(expediente)
    indice = next((i for i, d in enumerate(documentos) if d.version.adjunto_id == version.adjunto_id), None)
    documento = documentos[indice] if indice is not None else None
    return Posicion(
        version=version, expediente=expediente, documentos=documentos, documento=documento,
        vigente=documento is not None and documento.version.pk == version.pk,
        anterior=documentos[indice - 1] if indice else None,
        siguiente=documentos[indice + 1] if indice is not None and indice + 1 < len(documentos) else None,
    )


@dataclass(frozen=True)
class Apertura:
    pagina: int
    aviso: str = ""  # why the reader did not open where it was asked (Spanish, for the user)
    otra: Documento | None = None  # the folio asked lies in another document: go there


def _entero(valor: str | None) -> int | None:
    valor = (valor or "").strip()
    if not valor.isdigit() or len(valor) > 7:
        return None
    return int(valor)


def apertura(pos: Posicion, *, pagina: str | None, folio: str | None) -> Apertura:
    """The page to open from `?pagina=N` (of the version) or `?folio=N` (of the expediente).
    Bad values open the first page, with a message; never an error."""
    if folio not in (None, ""):
        numero = _entero(folio)
        if numero is None or numero < 1:
            return Apertura(1, f"«{folio[:20]}» no es un número de folio; se abre la primera página.")
        hallado = documento_del_folio(pos.documentos, numero)
        if hallado is None:
            return Apertura(1, f"El expediente no tiene el folio {numero} "
                               f"(tiene {pos.total_folios} folios); se abre la primera página.")
        documento, pagina_del_folio = hallado
        if documento.version.pk != pos.version.pk:
            return Apertura(pagina_del_folio, otra=documento)
        return Apertura(pagina_del_folio)
    if pagina in (None, ""):
        return Apertura(1)
    numero = _entero(pagina)
    if numero is None or numero < 1:
        return Apertura(1, f"«{pagina[:20]}» no es un número de página; se abre la primera página.")
    paginas = pos.version.paginas
    if paginas is not None and numero > paginas:
        return Apertura(paginas, f"El documento tiene {paginas} páginas; se abre la última.")
    return Apertura(numero)
