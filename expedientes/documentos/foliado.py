"""Foliation, as the paper file has it: documents joined in order, every page numbered
«Folio N» in its top right corner, with generated sheets (cover, index, manifest) before
and after the documents, laid out until their own page counts settle.

Used by the insolvency dossier (documentos/dossier.py) and the cierre of an expediente
(archivo/services/cierre.py). The documents come in as local files (the caller read them
from the store and checked their SHA-256): nothing here touches the database or the store.
Generated sheets are WeasyPrint (like every generated document); joining and stamping pages
is pypdf."""

import io
import logging
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from PIL import Image, ImageSequence
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from expedientes.custodia.tipos import PERMITIDOS

from . import pdf_renderizar

logger = logging.getLogger(__name__)

PDF = "application/pdf"
# Scanned pages: each image becomes a page (a multi-page TIFF, several) at its own density.
IMAGENES = {"image/jpeg", "image/png", "image/tiff"}
PPI_POR_DEFECTO = 300  # digitised institutional records (Regla Técnica Nacional)
# Index-like sheets are laid out knowing their own length; it settles in 2 rounds.
RONDAS = 4


@dataclass
class Pieza:
    """One file to foliate: its manifest row, where its bytes are, how many pages it gives,
    or why it is not incorporated."""

    datos: dict  # actuación, titulo, nombre, version, sha256, tamano, tipo_mime ...
    ruta: str
    paginas: int = 0
    observacion: str = ""
    folio_desde: int | None = None
    folio_hasta: int | None = None
    lector: PdfReader | None = field(default=None, repr=False)

    @property
    def incorporada(self) -> bool:
        return self.paginas > 0

    @property
    def rango(self) -> str:
        return rango(self.folio_desde, self.folio_hasta) if self.incorporada else ""

    def fila(self) -> dict:
        """Its row in the manifest (JSON and PDF)."""
        return {**self.datos, "incorporado": self.incorporada, "paginas": self.paginas,
                "folio_desde": self.folio_desde, "folio_hasta": self.folio_hasta,
                "observacion": self.observacion}


@dataclass(frozen=True)
class Hoja:
    """A generated sheet of the foliated file (cover, index, manifest): its key in the
    folios, its template, its bookmark."""

    clave: str
    plantilla: str
    marcador: str


def rango(desde: int, hasta: int) -> str:
    return str(desde) if desde == hasta else f"{desde}–{hasta}"


def _lector(ruta: str, archivos: ExitStack) -> PdfReader:
    # from an open file, read as the join needs it (from a path pypdf would load it whole)
    lector = PdfReader(archivos.enter_context(open(ruta, "rb")), strict=False)
    if lector.is_encrypted and not lector.decrypt(""):
        raise PermissionError
    # a broken page tree or page box fails here, not half-way through the join
    if any(float(p.cropbox.width) <= 0 or float(p.cropbox.height) <= 0 for p in lector.pages):
        raise ValueError("página sin tamaño")
    return lector


def _imagen_a_pdf(origen: str, destino: str) -> None:
    with Image.open(origen) as imagen:
        ppi = imagen.info.get("dpi", (PPI_POR_DEFECTO,))[0] or PPI_POR_DEFECTO
        cuadros = [c.convert("RGB") if c.mode not in ("1", "L", "RGB", "CMYK") else c.copy()
                   for c in ImageSequence.Iterator(imagen)]
    cuadros[0].save(destino, "PDF", save_all=True, append_images=cuadros[1:], resolution=float(ppi))


def pieza_preparar(pieza: Pieza, archivos: ExitStack) -> None:
    """Open the file as pages: a PDF as it is, an image converted (a page per frame); any
    other format (office documents) is listed in the index and the manifest, not
    incorporated. The files stay open in `archivos` until the foliated file is written."""
    tipo = pieza.datos["tipo_mime"]
    try:
        if tipo in IMAGENES:
            convertida = f"{pieza.ruta}.pdf"
            _imagen_a_pdf(pieza.ruta, convertida)
            pieza.ruta = convertida
        elif tipo != PDF:
            etiqueta = PERMITIDOS.get(tipo, (tipo,))[0]
            pieza.observacion = f"no incorporado (formato {etiqueta})"
            return
        pieza.lector = _lector(pieza.ruta, archivos)
        pieza.paginas = len(pieza.lector.pages)
    except PermissionError:
        pieza.observacion = "no incorporado (PDF protegido con contraseña)"
    except (PyPdfError, OSError, ValueError, Image.DecompressionBombError) as error:
        logger.warning("Foliado: %s no se pudo leer: %r", pieza.datos.get("nombre"), error)
        pieza.observacion = "no incorporado (archivo ilegible)"
    if not pieza.incorporada and not pieza.observacion:
        pieza.observacion = "no incorporado (sin páginas)"


def paginas_contar(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _folios_asignar(piezas: list[Pieza], primero: int) -> int:
    """Give each incorporated piece its folios from `primero`; the next free folio."""
    folio = primero
    for pieza in piezas:
        if pieza.incorporada:
            pieza.folio_desde, pieza.folio_hasta = folio, folio + pieza.paginas - 1
            folio += pieza.paginas
    return folio


def _hojas_asignar(hojas: list[Hoja], paginas: dict, primero: int, folios: dict) -> int:
    folio = primero
    for hoja in hojas:
        folios[hoja.clave] = (folio, folio + paginas[hoja.clave] - 1)
        folio += paginas[hoja.clave]
    return folio


def maquetar(piezas: list[Pieza], contexto: dict, *, antes: list[Hoja],
             despues: list[Hoja] = ()) -> tuple[dict[str, bytes], dict]:
    """Render the sheets that go before and after the documents until their own page counts
    stop changing (an index names its own folios and every document's). Returns each
    sheet's PDF and the folios: {clave: (desde, hasta), ..., "total": n}. The templates get
    the context plus `piezas`, `folios` and `rangos` (each sheet's range as text)."""
    hojas = [*antes, *despues]
    paginas = {hoja.clave: 1 for hoja in hojas}
    for _ronda in range(RONDAS):
        folios = {}
        siguiente = _hojas_asignar(antes, paginas, 1, folios)
        siguiente = _folios_asignar(piezas, siguiente)
        folios["total"] = _hojas_asignar(despues, paginas, siguiente, folios) - 1
        rangos = {hoja.clave: rango(*folios[hoja.clave]) for hoja in hojas}
        datos = {**contexto, "piezas": piezas, "folios": folios, "rangos": rangos}
        pdfs = {hoja.clave: pdf_renderizar(hoja.plantilla, datos) for hoja in hojas}
        nuevas = {clave: paginas_contar(pdf) for clave, pdf in pdfs.items()}
        if nuevas == paginas:
            return pdfs, folios
        paginas = nuevas
    raise ValidationError("No se pudo maquetar el índice de los folios; intente de nuevo.")


# Helvetica (one of the 14 fonts every PDF reader has: nothing embedded) widths in 1/1000 em
# of the only characters a folio uses.
_ANCHOS = {**dict.fromkeys("0123456789", 556), "F": 611, "o": 556, "l": 222, "i": 222, " ": 278}
_CUERPO = 10  # pt
_MARGEN = 18  # pt from the top and right edges


def _sello(ancho: float, alto: float, folio: int) -> PageObject:
    """A transparent page with «Folio N» on a white label in its top right corner."""
    texto = f"Folio {folio}"
    largo = sum(_ANCHOS[c] for c in texto) * _CUERPO / 1000
    x, y = ancho - _MARGEN - largo, alto - _MARGEN - _CUERPO
    sello = PageObject.create_blank_page(width=ancho, height=alto)
    fuente = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    sello[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/FFolio"): fuente})})
    contenido = DecodedStreamObject()
    contenido.set_data(
        (f"q 1 g {x - 3:.2f} {y - 3:.2f} {largo + 6:.2f} {_CUERPO + 4} re f "
         f"0 g BT /FFolio {_CUERPO} Tf {x:.2f} {y:.2f} Td ({texto}) Tj ET Q").encode("ascii"))
    sello[NameObject("/Contents")] = contenido
    return sello


def _foliar(escritor: PdfWriter) -> None:
    for folio, pagina in enumerate(escritor.pages, start=1):
        # a page shown rotated gets its rotation into the content first: the folio then
        # sits in the corner the reader sees as the top right
        pagina.transfer_rotation_to_content()
        caja = pagina.cropbox
        pagina.merge_transformed_page(
            _sello(float(caja.width), float(caja.height), folio),
            Transformation().translate(float(caja.left), float(caja.bottom)),
        )


def _marcador(orden: int, pieza: Pieza) -> str:
    return f"{orden}. {pieza.datos['actuacion']} — {pieza.datos['titulo']}"[:200]


def foliado_escribir(*, piezas: list[Pieza], hojas: dict[str, bytes], antes: list[Hoja],
                     despues: list[Hoja] = (), folios: dict, titulo: str, destino: str | Path,
                     ayuda: str = "Suba una versión legible.") -> None:
    """Join the sheets before, the incorporated pieces (opened by pieza_preparar) and the
    sheets after; stamp every page with its folio; write the PDF to `destino`. `ayuda`
    completes the message when a piece cannot be joined."""
    escritor = PdfWriter()
    try:
        for hoja in antes:
            escritor.append(PdfReader(io.BytesIO(hojas[hoja.clave])), outline_item=hoja.marcador,
                            import_outline=False)
        for orden, pieza in enumerate(piezas, start=1):
            if pieza.incorporada:
                try:
                    escritor.append(pieza.lector, outline_item=_marcador(orden, pieza), import_outline=False)
                except (PyPdfError, ValueError, KeyError) as error:
                    raise ValidationError(
                        f"El archivo «{pieza.datos['nombre']}» no pudo incorporarse a los folios ({error}). {ayuda}"
                    ) from error
        for hoja in despues:
            escritor.append(PdfReader(io.BytesIO(hojas[hoja.clave])), outline_item=hoja.marcador,
                            import_outline=False)
        if len(escritor.pages) != folios["total"]:
            raise ValidationError("El documento no tiene los folios que su índice anuncia; intente de nuevo.")
        _foliar(escritor)
        escritor.add_metadata({"/Title": titulo, "/Creator": "Portal Coactivas"})
        escritor.write(str(destino))
    finally:
        escritor.close()
