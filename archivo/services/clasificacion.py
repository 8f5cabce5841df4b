"""The classification and its TPCD (archivo.models.clasificacion): archivists create and edit
series; every change, with what it was before, what it is after and why, is an entry of the
custody log (CAMBIO_TPCD), which is also the history the TPCD screen shows."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict

from archivo.fases import FaseArchivo
from archivo.models import Serie
from permisos import policies
from permisos.custodia import Accion, registro_anotar

# What a change of the TPCD records, before and after.
CAMPOS_SERIE = ("seccion", "padre", "codigo", "nombre", "anios_gestion", "anios_central",
                "disposicion_final", "base_legal", "activa")


def serie_por_defecto() -> Serie:
    """The serie a new expediente belongs to (settings.ARCHIVO["SERIE_POR_DEFECTO"])."""
    codigo = settings.ARCHIVO["SERIE_POR_DEFECTO"]
    try:
        return Serie.objects.get(codigo=codigo)
    except Serie.DoesNotExist:
        raise ImproperlyConfigured(
            f"No existe la serie documental {codigo} (ARCHIVO_SERIE_POR_DEFECTO): créela en el cuadro de "
            "clasificación o corrija la variable.") from None


def _foto(serie: Serie) -> dict:
    return model_to_dict(serie, fields=CAMPOS_SERIE)


def _padre_validar(serie: Serie) -> None:
    padre = serie.padre
    if padre is None:
        return
    if serie.pk and padre.pk == serie.pk:
        raise ValidationError({"padre": "Una serie no puede ser subserie de sí misma."})
    if padre.padre_id is not None:
        raise ValidationError({"padre": f"«{padre}» ya es una subserie: elija una serie."})
    if padre.seccion_id != serie.seccion_id:
        raise ValidationError({"padre": f"La serie «{padre}» es de otra sección."})


def serie_guardar(*, serie: Serie, usuario, motivo: str) -> Serie:
    """Create (no pk) or edit a serie of the TPCD. An edit states its reason; both are logged
    with the values before and after. A change of the terms applies to every expediente of
    the serie from now on (archivo.plazos reads them); retention already set in the store
    is not shortened by it."""
    nueva = serie.pk is None
    if not usuario.has_perm("archivo.add_serie" if nueva else "archivo.change_serie"):
        raise ValidationError("Solo el Archivo (archivistas) crea y modifica las series de la TPCD.")
    motivo = " ".join((motivo or "").split())
    if not nueva and not motivo:
        raise ValidationError({"motivo": "Indique el motivo del cambio de la TPCD."})
    _padre_validar(serie)
    serie.full_clean()
    with transaction.atomic():
        antes = None if nueva else _foto(Serie.objects.select_for_update().get(pk=serie.pk))
        despues = _foto(serie)
        if antes == despues:
            return serie  # nothing changed: nothing to log
        serie.save()
        registro_anotar(accion=Accion.CAMBIO_TPCD, usuario=usuario, objeto=f"Serie {serie.codigo}",
                        datos={"serie": serie.pk, "codigo": serie.codigo, "antes": antes,
                               "despues": despues, "motivo": motivo or "Creación de la serie"})
    return serie


def expediente_serie_puede_cambiar(usuario, expediente) -> bool:
    """The archivist (who edits the TPCD) or the jefe (who corrects the file's data), on an
    expediente they see."""
    return ((usuario.has_perm("archivo.change_serie") or usuario.has_perm("expedientes.corregir_expediente"))
            and policies.expediente_puede_ver(usuario, expediente))


def expediente_serie_cambiar(*, expediente, serie: Serie, usuario, motivo) -> None:
    """Reclassify an expediente (also a closed or transferred one: its terms follow the new
    serie), logged with the serie before and after."""
    from expedientes.services.proceso import expediente_bloquear

    if not expediente_serie_puede_cambiar(usuario, expediente):
        raise ValidationError("Solo el Archivo o el jefe de coactivas cambian la serie de un expediente.")
    motivo = " ".join((motivo or "").split())
    if not motivo:
        raise ValidationError({"motivo": "Indique el motivo del cambio de serie."})
    if not serie.activa:
        raise ValidationError({"serie": f"La serie «{serie}» no está vigente."})
    with transaction.atomic():
        actual = expediente_bloquear(expediente, cerrado=True)
        if actual.archivo_fase == FaseArchivo.ELIMINADO:
            raise ValidationError(f"El expediente {actual.numero} fue eliminado (baja documental): su "
                                  "clasificación ya no cambia.")
        if actual.serie_id == serie.pk:
            return
        anterior = actual.serie
        # the page's own field, written by the service (never by the editor or a revision)
        type(actual).objects.filter(pk=actual.pk).update(serie=serie)
        registro_anotar(accion=Accion.CAMBIO_TPCD, usuario=usuario, expediente=actual,
                        objeto=f"Expediente {actual.numero}",
                        datos={"antes": {"serie": anterior.codigo if anterior else None},
                               "despues": {"serie": serie.codigo}, "motivo": motivo})
    expediente.serie = serie
