"""The custody trail: who stored, downloaded or was refused which file version, when.
Entries go to Wagtail's audit log on the actuación page that holds the file."""

from wagtail.log_actions import log

VERSION_REGISTRADA = "coactivas.adjunto.version"
DESCARGA = "coactivas.adjunto.descarga"
ACCESO_DENEGADO = "coactivas.adjunto.acceso_denegado"


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


def _ip(request):
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def custodia_registrar(*, accion, version, usuario, request=None):
    datos = _datos_version(version) | {"ip": _ip(request)}
    return log(instance=version.adjunto.actuacion, action=accion, user=usuario, data=datos)


# --- Dossiers de insolvencia: each step, with who and when, on the expediente's history
DOSSIER_ARMADO = "coactivas.dossier.armado"
DOSSIER_COMPARTIDO = "coactivas.dossier.compartido"
DOSSIER_RETIRADO = "coactivas.dossier.retirado"
DOSSIER_ACUSE = "coactivas.dossier.acuse"
DOSSIER_JUICIO = "coactivas.dossier.juicio"


def dossier_anotar(*, accion, dossier, usuario, datos=None, request=None):
    """The one writer of the dossier's trail (the PDF's downloads go through
    custodia_registrar, like every file)."""
    datos = {"dossier": str(dossier.uuid), "sha256": dossier.version.sha256, **(datos or {}),
             "ip": _ip(request)}
    return log(instance=dossier.expediente, action=accion, user=usuario, data=datos)  # merge: registro_anotar
