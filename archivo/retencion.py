"""Object Lock of a transferred expediente: every object version of its files (its
actuaciones, the cierre's documents among them; destroyed ones skipped) is re-hashed from
the store and put under COMPLIANCE retention until the end of its TPCD term
(archivo.plazos.fin_conservacion). S3 calls only: the caller holds no row lock."""

import hashlib
from datetime import date

from django.core.exceptions import ValidationError

from archivo.plazos import fin_conservacion
from expedientes.custodia import almacen
from expedientes.formato import fecha as fecha_formatear
from expedientes.models import AdjuntoVersion

BLOQUE = 1024 * 1024


def versiones(expediente):
    """Every object version of the expediente's files still in the store (its actuaciones,
    the cierre's documents among them)."""
    return (AdjuntoVersion.objects.filter(adjunto__actuacion__path__startswith=expediente.path,
                                          destruida_en__isnull=True)
            .select_related("adjunto").order_by("adjunto__creado_en", "adjunto_id", "numero"))


def _huella_almacen(version) -> str:
    """SHA-256 of the stored bytes, streamed: the manifest states what is locked, not what
    the database says."""
    cuerpo = almacen.abrir(almacen.ObjetoAlmacenado(version.clave, version.version_s3))
    huella = hashlib.sha256()
    try:
        for bloque in cuerpo.iter_chunks(BLOQUE):
            huella.update(bloque)
    finally:
        cuerpo.close()
    return huella.hexdigest()


def expediente_retener(item, hoy: date) -> dict:
    """Hash and lock every object version of a conforming expediente (S3 only, no row
    locked); its entry of the manifest."""
    expediente = item.expediente
    hasta = fin_conservacion(item.cierre.fecha, expediente.serie)
    sin_retencion = ""
    if hasta <= hoy:
        sin_retencion = (f"El plazo de conservación terminó el {fecha_formatear(hasta)}: no se fija retención "
                         "(el expediente ya puede darse de baja).")
    filas = []
    for version in versiones(expediente):
        huella = _huella_almacen(version)
        if huella != version.sha256:
            raise ValidationError(f"El archivo «{version.nombre_original}» (versión {version.numero}) del expediente "
                                  f"{expediente.numero} no coincide con su huella SHA-256: no se acepta la "
                                  "transferencia. Avise al administrador (control de integridad).")
        if not sin_retencion:
            almacen.retencion_fijar(almacen.ObjetoAlmacenado(version.clave, version.version_s3), hasta)
        filas.append({"adjunto": str(version.adjunto.uuid), "titulo": version.adjunto.titulo,
                      "version": version.numero, "version_uuid": str(version.uuid),
                      "clave": version.clave, "version_s3": version.version_s3,
                      "nombre": version.nombre_original, "tamano": version.tamano, "sha256": huella})
    return {"numero": expediente.numero, "orden": item.orden, "folios": item.folios,
            "serie": expediente.serie.codigo, "fecha_cierre": item.cierre.fecha,
            "retencion": "" if sin_retencion else "COMPLIANCE", "retencion_hasta": hasta,
            "sin_retencion": sin_retencion, "versiones": filas}
