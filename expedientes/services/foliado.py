"""The files of a set of actuaciones as pieces to foliate (expedientes/documentos/foliado.py):
each file at its latest version, read from the store and checked against its SHA-256. Used
by the insolvency dossier and the cierre of an expediente (archivo/services/cierre.py)."""

import hashlib
import os

from django.core.exceptions import ValidationError

from expedientes.custodia import almacen
from expedientes.documentos.foliado import Pieza
from expedientes.models import AdjuntoVersion

BLOQUE = 1024 * 1024


def versiones_vigentes(actuaciones) -> dict[int, list[AdjuntoVersion]]:
    """Each actuación's files in the order they were added, at their latest version; versions
    destroyed by a baja documental are left out."""
    ultimas = (AdjuntoVersion.objects.filter(adjunto__actuacion__in=actuaciones, destruida_en__isnull=True)
               .select_related("adjunto").order_by("adjunto_id", "-numero").distinct("adjunto_id"))
    por_actuacion = {a.pk: [] for a in actuaciones}
    for version in sorted(ultimas, key=lambda v: (v.adjunto.creado_en, v.adjunto_id)):
        por_actuacion[version.adjunto.actuacion_id].append(version)
    return por_actuacion


def huellas(por_actuacion) -> list[int]:
    """What to compare on the locked rows: the same versions, or something changed."""
    return sorted(v.pk for versiones in por_actuacion.values() for v in versiones)


def version_descargar(version: AdjuntoVersion, ruta: str, *, para: str) -> None:
    """The exact stored version to a local file, checked against its SHA-256: what is built
    from it states the hash of what it holds, not of what the database says. `para`
    completes the refusal («no se arma el dossier»)."""
    cuerpo = almacen.abrir(almacen.ObjetoAlmacenado(version.clave, version.version_s3))
    huella = hashlib.sha256()
    try:
        with open(ruta, "wb") as destino:
            for bloque in cuerpo.iter_chunks(BLOQUE):
                huella.update(bloque)
                destino.write(bloque)
    finally:
        cuerpo.close()
    if huella.hexdigest() != version.sha256:
        raise ValidationError(
            f"El archivo «{version.nombre_original}» (versión {version.numero}) no coincide con su huella "
            f"SHA-256 registrada: {para}. Avise al administrador (control de integridad)."
        )


def piezas_descargar(actuaciones, por_actuacion, directorio: str, *, para: str) -> tuple[list[Pieza], list[dict]]:
    """Every file downloaded into `directorio` as a Pieza, in order; and the actuaciones
    with their pieces ({"titulo", "fecha", "piezas"}) for the index."""
    piezas, grupos = [], []
    for actuacion in actuaciones:
        propias = []
        for version in por_actuacion[actuacion.pk]:
            ruta = os.path.join(directorio, f"{len(piezas) + 1:04d}")
            version_descargar(version, ruta, para=para)
            pieza = Pieza(ruta=ruta, datos={
                "orden": len(piezas) + 1, "actuacion": actuacion.title, "actuacion_id": actuacion.pk,
                "fecha": actuacion.fecha,
                "adjunto": str(version.adjunto.uuid), "titulo": version.adjunto.titulo,
                "version": version.numero, "version_uuid": str(version.uuid),
                "nombre": version.nombre_original, "tipo_mime": version.tipo_mime,
                "tamano": version.tamano, "sha256": version.sha256,
            })
            piezas.append(pieza)
            propias.append(pieza)
        grupos.append({"titulo": actuacion.title, "fecha": actuacion.fecha, "piezas": propias})
    return piezas, grupos
