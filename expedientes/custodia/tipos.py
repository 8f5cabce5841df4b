"""What may enter: the type is read from the bytes with libmagic (python-magic, as
paperless-ngx does), never trusted from the name or the browser."""

import os

import magic

from .errores import ArchivoRechazado

# sniffed MIME type → (label for messages, extensions a name may carry). libmagic sniffs a
# macro-enabled OOXML file (.docm/.xlsm/.pptm) as its plain type; the macro step
# (ofimatica.py) judges the content, not the name.
PERMITIDOS = {
    "application/pdf": ("PDF", {".pdf"}),
    "image/jpeg": ("imagen JPEG", {".jpg", ".jpeg"}),
    "image/png": ("imagen PNG", {".png"}),
    "image/tiff": ("imagen TIFF", {".tif", ".tiff"}),
    "application/msword": ("documento de Word", {".doc"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "documento de Word", {".docx", ".docm"}),
    "application/vnd.ms-excel": ("hoja de Excel", {".xls"}),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "hoja de Excel", {".xlsx", ".xlsm"}),
    "application/vnd.ms-powerpoint": ("presentación de PowerPoint", {".ppt"}),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "presentación de PowerPoint", {".pptx", ".pptm"}),
    "application/vnd.oasis.opendocument.text": ("documento ODT", {".odt"}),
    "application/vnd.oasis.opendocument.spreadsheet": ("hoja ODS", {".ods"}),
}


def tipo_detectar(ruta: str) -> str:
    return magic.from_file(ruta, mime=True)


# The portal's own machine-readable records (a transfer's SHA-256 manifest): never uploaded
# by a user, allowed only where the caller says so (custodiar(permitidos=...)).
JSON = {"application/json": ("JSON", {".json"})}


def tipo_verificar(ruta: str, nombre: str, permitidos: dict | None = None) -> str:
    """Return the sniffed MIME type, or refuse a type outside the allow-list or a name
    whose extension contradicts the content (a renamed executable, a PDF called .exe)."""
    permitidos = PERMITIDOS if permitidos is None else permitidos
    tipo = tipo_detectar(ruta)
    if tipo not in permitidos:
        raise ArchivoRechazado(
            "tipo_no_permitido",
            f"El archivo «{nombre}» no es de un tipo permitido (se detectó {tipo}). "
            "Se aceptan PDF, imágenes (JPEG, PNG, TIFF) y documentos de oficina "
            "(Word, Excel, PowerPoint, OpenDocument).",
        )
    etiqueta, extensiones = permitidos[tipo]
    extension = os.path.splitext(nombre)[1].lower()
    if extension and extension not in extensiones:
        raise ArchivoRechazado(
            "extension_no_coincide",
            f"El nombre «{nombre}» no corresponde a su contenido ({etiqueta}). "
            "Revise que sea el archivo correcto.",
        )
    return tipo
