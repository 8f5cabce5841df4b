"""The clean-up of the processes contested before the Tribunal Contencioso Administrativo
(archivo.models.impugnados, the unit's 2026 plan).

1. select (impugnado_seleccionar): an expediente in «Impugnado», or that once was, enters the
   worklist; the Archivista group is given the right to see it, to review it;
2. record (impugnado_registrar): case number, court, status of the case and ruling; the
   row is then «revisado»;
3. decide: reactivate enforcement (impugnado_reactivar) or close the process
   (impugnado_cerrar, to «Archivado»; the cierre service then closes the file).

The archivist records, the jefe decides: selecting and recording take the permission
archivo.depurar_impugnados (jefe, archivist) and seeing the expediente; deciding also takes
working on it (policies.expediente_puede_trabajar), which only the unit holds, so an
archivist can never resume or end an enforcement."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from archivo.models import EstadoCausa, ProcesoImpugnado, ResultadoDepuracion
from expedientes.estados import EJECUCION, Estado
from expedientes.formato import fecha
from expedientes.models import ExpedientePage, Transicion
from expedientes.services.proceso import expediente_bloquear, expediente_transicion
from permisos import policies
from permisos.custodia import Accion, registro_anotar
from permisos.roles import ROL_ARCHIVISTA
from permisos.services import expediente_conceder_grupo

PERMISO = "archivo.depurar_impugnados"
R = ResultadoDepuracion


def _exigir(usuario, expediente, que: str, *, decidir: bool = False) -> None:
    if usuario is None or not usuario.is_active or not usuario.has_perm(PERMISO):
        raise ValidationError(f"No tiene permiso para {que} procesos impugnados.")
    puede = policies.expediente_puede_trabajar if decidir else policies.expediente_puede_ver
    if not puede(usuario, expediente):
        if decidir:
            raise ValidationError(f"Solo el jefe de coactivas puede {que} un proceso impugnado: el "
                                  "archivista registra la causa y la sentencia, el jefe decide.")
        raise ValidationError(f"No tiene acceso a ese expediente: no puede {que} el proceso.")


def fue_impugnado() -> Exists:
    """The expediente entered «Impugnado» at some point (for .filter / .annotate)."""
    return Exists(Transicion.objects.filter(expediente=OuterRef("pk"), hasta=Estado.IMPUGNADO))


def impugnados_sin_seleccionar():
    """Expedientes in «Impugnado» not yet in the worklist."""
    return ExpedientePage.objects.filter(estado=Estado.IMPUGNADO, impugnacion__isnull=True)


def impugnado_seleccionar(*, expediente, usuario, numero_causa: str = "", tribunal: str = "") -> ProcesoImpugnado:
    _exigir(usuario, expediente, "seleccionar")
    with transaction.atomic():
        actual = expediente_bloquear(expediente, cerrado=True)
        if actual.estado != Estado.IMPUGNADO and not ExpedientePage.objects.filter(
                fue_impugnado(), pk=actual.pk).exists():
            raise ValidationError(
                f"El expediente {actual.numero} está en «{actual.get_estado_display()}» y nunca fue impugnado: "
                "no entra en la depuración de procesos impugnados.")
        if ProcesoImpugnado.objects.filter(expediente=actual).exists():
            raise ValidationError(f"El expediente {actual.numero} ya está seleccionado para la depuración.")
        proceso = ProcesoImpugnado(expediente=actual, numero_causa=(numero_causa or "").strip(),
                                   tribunal=(tribunal or "").strip(), seleccionado_por=usuario)
        proceso.full_clean()
        proceso.save()
        expediente_conceder_grupo(expediente=actual, grupo=ROL_ARCHIVISTA, usuario=usuario,
                                  motivo="Depuración de procesos impugnados")
        registro_anotar(accion=Accion.DEPURACION, usuario=usuario, expediente=actual,
                        objeto="Seleccionado para la depuración de procesos impugnados",
                        datos={"proceso": proceso.pk, "numero_causa": proceso.numero_causa,
                               "tribunal": proceso.tribunal})
    return proceso


def _bloquear(proceso) -> ProcesoImpugnado:
    return ProcesoImpugnado.objects.select_for_update().select_related("expediente").get(pk=proceso.pk)


def _exigir_sin_decision(proceso) -> None:
    if proceso.resultado in (R.REACTIVADO, R.CERRADO):
        raise ValidationError(f"El proceso del expediente {proceso.expediente.numero} ya fue "
                              f"«{proceso.get_resultado_display()}»: la depuración terminó.")


def impugnado_registrar(*, proceso, usuario, estado_causa: str, sentencia: str = "", fecha_sentencia=None,
                        numero_causa: str | None = None, tribunal: str | None = None,
                        observaciones: str = "") -> ProcesoImpugnado:
    """What the court case says (None leaves the case number / court as they are)."""
    _exigir(usuario, proceso.expediente, "registrar")
    if estado_causa not in EstadoCausa.values:
        raise ValidationError({"estado_causa": "Elija el estado de la causa."})
    sentencia = (sentencia or "").strip()
    if estado_causa == EstadoCausa.SENTENCIA and not (sentencia and fecha_sentencia):
        raise ValidationError("Con sentencia: indique su fecha y lo que resolvió el tribunal.")
    if fecha_sentencia and fecha_sentencia > timezone.localdate():
        raise ValidationError({"fecha_sentencia": "La fecha de la sentencia no puede ser futura."})
    with transaction.atomic():
        expediente_bloquear(proceso.expediente, cerrado=True)
        actual = _bloquear(proceso)
        _exigir_sin_decision(actual)
        if numero_causa is not None:
            actual.numero_causa = numero_causa.strip()
        if tribunal is not None:
            actual.tribunal = tribunal.strip()
        actual.estado_causa, actual.sentencia, actual.fecha_sentencia = estado_causa, sentencia, fecha_sentencia
        actual.observaciones = (observaciones or "").strip()
        actual.resultado, actual.revisado_en, actual.revisado_por = R.REVISADO, timezone.now(), usuario
        actual.full_clean()
        actual.save()
        registro_anotar(accion=Accion.DEPURACION, usuario=usuario, expediente=actual.expediente,
                        objeto=f"Causa {actual.numero_causa or 's/n'}: {actual.get_estado_causa_display()}",
                        datos={"proceso": actual.pk, "numero_causa": actual.numero_causa,
                               "tribunal": actual.tribunal, "estado_causa": estado_causa,
                               "fecha_sentencia": fecha_sentencia, "sentencia": sentencia})
    return actual


def _resumen(proceso) -> str:
    """The court case and its ruling, as the motive of the change of state quotes them."""
    causa = f"causa {proceso.numero_causa or 's/n'}" + (f" ({proceso.tribunal})" if proceso.tribunal else "")
    if proceso.sentencia:
        fallo = f"sentencia del {fecha(proceso.fecha_sentencia)}: {proceso.sentencia}"
    else:
        fallo = proceso.get_estado_causa_display().lower()
    return f"Depuración de impugnados, {causa}, {fallo}"


def _decidir(*, proceso, usuario, hasta: str, motivo: str, resultado: str, que: str) -> ProcesoImpugnado:
    motivo = (motivo or "").strip()
    if not motivo:
        raise ValidationError({"motivo": "Indique el motivo de la decisión."})
    _exigir(usuario, proceso.expediente, que, decidir=True)
    with transaction.atomic():
        expediente_bloquear(proceso.expediente)  # the expediente first, as every service locks
        actual = _bloquear(proceso)
        _exigir_sin_decision(actual)
        if actual.resultado != R.REVISADO:
            raise ValidationError("Registre primero el estado de la causa y la sentencia: la decisión se "
                                  "toma sobre lo que resolvió el tribunal.")
        if actual.expediente.estado != Estado.IMPUGNADO:
            raise ValidationError(f"El expediente {actual.expediente.numero} ya no está «Impugnado» (está en "
                                  f"«{actual.expediente.get_estado_display()}»): no hay nada que decidir aquí.")
        actual.decision = expediente_transicion(expediente=actual.expediente, hasta=hasta, usuario=usuario,
                                                motivo=f"{motivo.rstrip('.')}. {_resumen(actual)}.")
        actual.resultado = resultado
        actual.save(update_fields=["resultado", "decision"])
        registro_anotar(accion=Accion.DEPURACION, usuario=usuario, expediente=actual.expediente,
                        objeto=f"{actual.get_resultado_display()}: {Estado(hasta).label}",
                        datos={"proceso": actual.pk, "resultado": resultado, "hasta": hasta, "motivo": motivo})
    return actual


def impugnado_reactivar(*, proceso, usuario, hasta: str, motivo: str) -> ProcesoImpugnado:
    """The ruling lets enforcement go on: back to one of the enforcement states (jefe only)."""
    if hasta not in EJECUCION:
        etapas = ", ".join(str(Estado(e).label) for e in EJECUCION)
        raise ValidationError({"hasta": f"La ejecución se reanuda en una de sus etapas: {etapas}."})
    return _decidir(proceso=proceso, usuario=usuario, hasta=hasta, motivo=motivo,
                    resultado=R.REACTIVADO, que="reactivar")


def impugnado_cerrar(*, proceso, usuario, motivo: str) -> ProcesoImpugnado:
    """The ruling ends the process: to «Archivado» (jefe only); the file is then closed by
    archivo.services.cierre."""
    return _decidir(proceso=proceso, usuario=usuario, hasta=Estado.ARCHIVADO, motivo=motivo,
                    resultado=R.CERRADO, que="cerrar")


def impugnado_acciones(*, proceso, usuario, trabaja: bool | None = None) -> set[str]:
    """What the user may do on this row now (the screens offer only that): «registrar»,
    «reactivar», «cerrar». `trabaja`: whether the user works on the expediente, when the
    caller already knows it (a listing asks once for every row)."""
    if not usuario.has_perm(PERMISO) or proceso.resultado in (R.REACTIVADO, R.CERRADO):
        return set()
    acciones = {"registrar"}
    if trabaja is None:
        trabaja = policies.expediente_puede_trabajar(usuario, proceso.expediente)
    if trabaja and proceso.resultado == R.REVISADO and proceso.expediente.estado == Estado.IMPUGNADO:
        acciones |= {"reactivar", "cerrar"}
    return acciones


def depuracion_avance(*, usuario=None) -> dict:
    """How far the clean-up is, in one query: the selected processes by result (each in one
    bucket: «revisados» have their ruling recorded and await the jefe's decision) and the
    expedientes in «Impugnado» not yet selected. With a user, only what they may see."""
    expedientes = ExpedientePage.objects.filter(Q(impugnacion__isnull=False) | Q(estado=Estado.IMPUGNADO))
    if usuario is not None:
        expedientes = policies.expedientes_filtrar_visibles(usuario, expedientes)
    por = {clave: Count("pk", filter=Q(impugnacion__resultado=valor)) for clave, valor in (
        ("pendientes", R.PENDIENTE), ("revisados", R.REVISADO), ("reactivados", R.REACTIVADO),
        ("cerrados", R.CERRADO))}
    return expedientes.aggregate(
        seleccionados=Count("impugnacion"), **por,
        impugnados_sin_seleccionar=Count("pk", filter=Q(estado=Estado.IMPUGNADO, impugnacion__isnull=True)))
