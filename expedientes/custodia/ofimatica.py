"""Office files: ZIP containers within stated limits, and macros refused or flagged.

Container limits (OWASP File Upload Cheat Sheet: zip bombs): the central directory is read
with the stdlib zipfile, which lists every entry's declared sizes without decompressing
anything. Those are declared sizes: a crafted archive can lie about them, so they bound
what an honest reader allocates, and clamd (which does decompress, within its own
MaxScanSize/MaxFileSize and AlertExceedsMax) stays the second line.

Macros: VBA in OLE (.doc/.xls/.ppt) and in OOXML (a vbaProject.bin, possibly renamed) is
found with oletools' olevba, the reference tool for it (also Excel 4/XLM macro sheets); the
OOXML and ODF markers (macroEnabled content types, vbaProject, Basic/ and Scripts/) are
read from the central directory first. settings.CUSTODIA["MACROS"] decides: "rechazar"
(the default, and what any other value means) or "marcar" (stored, flagged on the version).
"""

import logging
import warnings
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .errores import ArchivoRechazado

logger = logging.getLogger(__name__)

OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}
OLE = {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}

# Below this decompressed total the ratio is not judged: a tiny, very repetitive file
# (a short sheet of blanks) compresses far beyond any ratio and harms nobody.
PROPORCION_DESDE = 1024 * 1024
# [Content_Types].xml is a few KB; read at most this much of it.
TIPOS_CONTENIDO_MAXIMO = 256 * 1024
MARCAS_OOXML = (b"macroenabled", b"vbaproject", b"macrosheet")


def es_contenedor(tipo_mime: str) -> bool:
    return tipo_mime in OOXML or tipo_mime in ODF


def _rechazo(codigo: str, nombre: str, motivo: str) -> ArchivoRechazado:
    return ArchivoRechazado(
        codigo,
        f"El archivo «{nombre}» no se guardó: {motivo} Si es un documento legítimo, guárdelo "
        "de nuevo desde su programa de oficina o conviértalo a PDF e intente otra vez.",
    )


def contenedor_verificar(ruta: str, *, nombre: str, tamano: int) -> list[zipfile.ZipInfo]:
    """Refuse an office ZIP whose entry count, declared decompressed size or compression
    ratio is beyond the limits, or that is malformed (overlapping entries, encryption).
    Returns the entries (the central directory) for the macro check."""
    conf = settings.CUSTODIA
    try:
        with zipfile.ZipFile(ruta) as archivo:
            entradas = archivo.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        logger.info("Contenedor ilegible %s: %r", nombre, exc)
        raise _rechazo("contenedor_danado", nombre,
                       "el documento de oficina está dañado o no se puede leer.") from exc
    if len(entradas) > conf["OFIMATICA_ENTRADAS_MAXIMAS"]:
        raise _rechazo(
            "contenedor_excede_entradas", nombre,
            f"contiene {len(entradas)} partes internas y el máximo permitido es "
            f"{conf['OFIMATICA_ENTRADAS_MAXIMAS']}.")
    descomprimido = sum(e.file_size for e in entradas)
    comprimido = sum(e.compress_size for e in entradas)
    if descomprimido > conf["OFIMATICA_DESCOMPRIMIDO_MAXIMO"]:
        raise _rechazo(
            "contenedor_excede_tamano", nombre,
            f"su contenido descomprimido ({filesizeformat(descomprimido)}) supera el máximo "
            f"permitido ({filesizeformat(conf['OFIMATICA_DESCOMPRIMIDO_MAXIMO'])}).")
    if (descomprimido >= PROPORCION_DESDE
            and descomprimido > conf["OFIMATICA_PROPORCION_MAXIMA"] * max(comprimido, 1)):
        raise _rechazo(
            "contenedor_excede_proporcion", nombre,
            f"su contenido se expande {descomprimido // max(comprimido, 1)} veces al "
            f"descomprimirse (máximo {conf['OFIMATICA_PROPORCION_MAXIMA']}); puede ser una "
            "«bomba de descompresión».")
    if comprimido > tamano:
        # Entries that share their compressed bytes (overlapping-entry zip bombs).
        raise _rechazo("contenedor_danado", nombre,
                       "la estructura interna del documento no es válida.")
    if any(e.flag_bits & 0x1 for e in entradas):
        # Office files are never ZIP-encrypted; such parts could not be scanned either.
        raise _rechazo("contenedor_cifrado", nombre,
                       "contiene partes cifradas que no se pueden analizar.")
    return entradas


def _marcas_ooxml(ruta: str, entradas: list[zipfile.ZipInfo]) -> bool:
    nombres = [e.filename.lower() for e in entradas]
    if any(n.endswith(("vbaproject.bin", "vbadata.xml")) or n.startswith("xl/macrosheets/")
           for n in nombres):
        return True
    tipos = next((e for e in entradas if e.filename == "[Content_Types].xml"), None)
    if tipos is None:
        return False
    # Bounded read of one small, already size-checked entry.
    with zipfile.ZipFile(ruta) as archivo, archivo.open(tipos) as contenido:
        texto = contenido.read(TIPOS_CONTENIDO_MAXIMO).lower()
    return any(marca in texto for marca in MARCAS_OOXML)


def _marcas_odf(entradas: list[zipfile.ZipInfo]) -> bool:
    """ODF keeps Basic macros under Basic/<library>/<module>.xml and Python/JavaScript/
    BeanShell scripts under Scripts/. The library index files alone (script-lc.xml,
    script-lb.xml, which some suites write for an empty «Standard» library) hold no code."""
    for entrada in entradas:
        if entrada.is_dir():
            continue
        nombre = entrada.filename
        if nombre.startswith("Scripts/"):
            return True
        if nombre.startswith("Basic/") and nombre.rsplit("/", 1)[-1] not in {
                "script-lc.xml", "script-lb.xml"}:
            return True
    return False


def _vba(ruta: str, nombre: str) -> bool:
    # Imported here: olevba builds pyparsing grammars at import, needed only for office
    # files. oletools 0.60.2 still uses pyparsing's pre-3 names (deprecated in pyparsing 3.3).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser

    try:
        analizador = VBA_Parser(ruta, relaxed=True)
    except Exception as exc:  # noqa: BLE001 (olevba raises many kinds on malformed input)
        logger.info("olevba no pudo abrir %s: %r", nombre, exc)
        raise _rechazo("macros_no_verificables", nombre,
                       "no se pudo comprobar si el documento contiene macros.") from exc
    try:
        return bool(analizador.detect_macros())  # VBA projects and Excel 4/XLM sheets
    except Exception as exc:  # noqa: BLE001
        logger.info("olevba falló con %s: %r", nombre, exc)
        raise _rechazo("macros_no_verificables", nombre,
                       "no se pudo comprobar si el documento contiene macros.") from exc
    finally:
        analizador.close()


def macros_detectar(ruta: str, *, tipo_mime: str, nombre: str,
                    entradas: list[zipfile.ZipInfo] | None = None) -> bool:
    """True if the office file carries macros (any non-office type: False)."""
    if tipo_mime in ODF:
        return _marcas_odf(entradas or [])
    if tipo_mime in OOXML:
        return _marcas_ooxml(ruta, entradas or []) or _vba(ruta, nombre)
    if tipo_mime in OLE:
        return _vba(ruta, nombre)
    return False


def macros_decidir(*, nombre: str) -> bool:
    """A file with macros: raise (policy "rechazar", and any unknown value: fail closed)
    or return True to flag the stored version (policy "marcar")."""
    if settings.CUSTODIA.get("MACROS") == "marcar":
        return True
    raise ArchivoRechazado(
        "macros",
        f"El archivo «{nombre}» contiene macros y no se guardó: las macros pueden ejecutar "
        "código al abrir el documento. Guárdelo sin macros (por ejemplo, como .docx o .xlsx, "
        "o como PDF) e intente otra vez.",
    )
