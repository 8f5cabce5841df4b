"""The custody trail of files: who stored, downloaded or was refused which file version, when.
Each event goes to the custody log (permisos/custodia.py, the hash chain) and, because the
page history shows it, to Wagtail's audit log on the actuación page that holds the file."""

from wagtail.log_actions import log

from .custodia import Accion, registro_anotar
from .direcciones import direccion_de

VERSION_REGISTRADA = "coactivas.adjunto.version"
DESCARGA = "coactivas.adjunto.descarga"
ACCESO_DENEGADO = "coactivas.adjunto.acceso_denegado"

_ACCION_CUSTODIA = {
    VERSION_REGISTRADA: Accion.CARGA,
    DESCARGA: Accion.DESCARGA,
    ACCESO_DENEGADO: Accion.ACCESO_DENEGADO,
}


def _datos_version(version):
    return {
        "adjunto": str(version.adjunto.uuid),
        "titulo": version.adjunto.titulo,
        "version": version.numero,
        "version_uuid": str(version.uuid),
        "nombre": version.nombre_original,
        "sha256": version.sha256,
        "tamano": version.tamano,
    }


def custodia_registrar(*, accion, version, usuario, request=None):
    """Call it after the external work (the S3 put, opening the object): the custody log's
    append lock lasts until the caller's transaction ends."""
    actuacion = version.adjunto.actuacion
    datos = _datos_version(version)
    entrada = log(instance=actuacion, action=accion, user=usuario,
                  data=datos | {"ip": direccion_de(request) or ""})
    registro_anotar(
        accion=_ACCION_CUSTODIA[accion], usuario=usuario, request=request,
        expediente=actuacion.get_parent(),
        objeto=(f"«{version.adjunto.titulo}» v{version.numero} ({version.nombre_original}), "
                f"{actuacion.title}"),
        sha256=version.sha256, datos=datos | {"actuacion": actuacion.pk},
    )
    return entrada


def lectura_registrar(*, version, request, datos: dict | None = None) -> None:
    """Someone read a file version in the reader (its screen, or the bytes the viewer drew):
    the custody log only, like a view of an expediente (no download happened)."""
    actuacion = version.adjunto.actuacion
    registro_anotar(
        accion=Accion.LECTURA, request=request, expediente=actuacion.get_parent(),
        objeto=(f"«{version.adjunto.titulo}» v{version.numero} ({version.nombre_original}), "
                f"{actuacion.title}"),
        sha256=version.sha256,
        datos=_datos_version(version) | {"actuacion": actuacion.pk} | (datos or {}),
    )


def expediente_vista_registrar(*, expediente, request, pantalla: str) -> None:
    """Someone was shown an expediente (its process screen, its page, its editor)."""
    registro_anotar(accion=Accion.VISTA, request=request, expediente=expediente,
                    objeto=f"Expediente {expediente.numero} ({pantalla})", datos={"ruta": request.path})


def expediente_acceso_denegado_registrar(*, expediente, request, pantalla: str) -> None:
    registro_anotar(accion=Accion.ACCESO_DENEGADO, request=request, expediente=expediente,
                    objeto=f"Expediente {expediente.numero} ({pantalla})", datos={"ruta": request.path})


# --- Dossiers de insolvencia: each step, with who and when, on the expediente's history
DOSSIER_ARMADO = "coactivas.dossier.armado"
DOSSIER_COMPARTIDO = "coactivas.dossier.compartido"
DOSSIER_RETIRADO = "coactivas.dossier.retirado"
DOSSIER_ACUSE = "coactivas.dossier.acuse"
DOSSIER_JUICIO = "coactivas.dossier.juicio"
_ACCION_DOSSIER = {DOSSIER_ARMADO: Accion.DOSSIER_ARMADO, DOSSIER_COMPARTIDO: Accion.COMPARTIR,
                   DOSSIER_RETIRADO: Accion.RETIRO_COMPARTIR, DOSSIER_ACUSE: Accion.ACUSE,
                   DOSSIER_JUICIO: Accion.JUICIO}


def dossier_anotar(*, accion, dossier, usuario, datos=None, request=None):
    """The one writer of the dossier's trail (the PDF's downloads go through
    custodia_registrar, like every file)."""
    datos = {"dossier": str(dossier.uuid), "sha256": dossier.version.sha256, **(datos or {}),
             "ip": direccion_de(request) or ""}
    entrada = log(instance=dossier.expediente, action=accion, user=usuario, data=datos)
    registro_anotar(accion=_ACCION_DOSSIER[accion], usuario=usuario, request=request,
                    expediente=dossier.expediente, sha256=dossier.version.sha256,
                    objeto=f"Dossier de insolvencia {str(dossier.uuid)[:8]}", datos=datos)
    return entrada
