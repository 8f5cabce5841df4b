"""The paper originals (archivo.models.fisico): shelves and boxes, which box holds each
expediente, and loans of a physical file.

Who: the model permission of the act (roles: jefe and secretaría for the archivo de gestión,
the archivist) AND the right to see the expediente (permisos.policies): a box or a loan never
reveals an expediente its user may not see. Every act is locked on the expediente's row (a
closed one too: its paper still moves) and ends with its custody-log entry."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from archivo.models import Caja, Estante, Prestamo, UbicacionFisica
from expedientes.formato import fecha
from expedientes.services.proceso import expediente_bloquear
from permisos import policies
from permisos.custodia import Accion, registro_anotar


def _exigir_permiso(usuario, permiso: str, que: str) -> None:
    if usuario is None or not usuario.is_active or not usuario.has_perm(f"archivo.{permiso}"):
        raise ValidationError(f"No tiene permiso para {que}.")


def _exigir(usuario, permiso: str, expediente, que: str) -> None:
    _exigir_permiso(usuario, permiso, que)
    if not policies.expediente_puede_ver(usuario, expediente):
        raise ValidationError(f"No tiene acceso a ese expediente: no puede {que}.")


def _nombre(usuario) -> str:
    return usuario.get_full_name() or usuario.get_username()


def estante_crear(*, codigo: str, ubicacion: str, usuario) -> Estante:
    _exigir_permiso(usuario, "add_estante", "registrar estantes")
    estante = Estante(codigo=(codigo or "").strip(), ubicacion=(ubicacion or "").strip())
    estante.full_clean()  # the unique código, in Spanish
    estante.save()
    return estante


def caja_crear(*, codigo: str, usuario, estante: Estante | None = None, nivel: str = "",
               descripcion: str = "") -> Caja:
    _exigir_permiso(usuario, "add_caja", "registrar cajas")
    caja = Caja(codigo=(codigo or "").strip(), estante=estante, nivel=nivel.strip(),
                descripcion=descripcion.strip(), creada_por=usuario)
    caja.full_clean()
    try:
        with transaction.atomic():
            caja.save()
    except IntegrityError:  # the same code, created in between
        raise ValidationError({"codigo": f"Ya existe la caja {caja.codigo}."}) from None
    return caja


def caja_de(expediente) -> Caja | None:
    """The box the expediente's paper original is in now."""
    actual = (UbicacionFisica.objects.filter(expediente=expediente, hasta__isnull=True)
              .select_related("caja__estante").first())
    return actual.caja if actual else None


def expediente_ubicar(*, expediente, caja: Caja, usuario) -> UbicacionFisica:
    """Put the paper original in this box: its current place (if any) ends now and a new one
    starts, so the history of its places stays."""
    _exigir(usuario, "add_ubicacionfisica", expediente, "ubicar expedientes en cajas")
    with transaction.atomic():
        actual = expediente_bloquear(expediente, cerrado=True)
        anterior = (UbicacionFisica.objects.select_for_update().select_related("caja")
                    .filter(expediente=actual, hasta__isnull=True).first())
        if anterior is not None and anterior.caja_id == caja.pk:
            raise ValidationError(f"El expediente {actual.numero} ya está en la caja {caja.codigo}.")
        ahora = timezone.now()
        if anterior is not None:
            anterior.hasta = ahora
            anterior.save(update_fields=["hasta"])
        ubicacion = UbicacionFisica.objects.create(expediente=actual, caja=caja, registrada_por=usuario)
        registro_anotar(
            accion=Accion.UBICACION, usuario=usuario, expediente=actual,
            objeto=f"Caja {caja.codigo}" + (f" (antes en la caja {anterior.caja.codigo})" if anterior else ""),
            datos={"caja": caja.codigo, "estante": caja.estante.codigo if caja.estante else "",
                   "anterior": anterior.caja.codigo if anterior else None, "ubicacion": ubicacion.pk})
    return ubicacion


def prestamo_registrar(*, expediente, solicitante, motivo: str, vence_el: date, usuario) -> Prestamo:
    """Lend the paper original to a user of the portal until a date after today; one open
    loan per expediente."""
    _exigir(usuario, "add_prestamo", expediente, "prestar expedientes físicos")
    motivo = (motivo or "").strip()
    if not motivo:
        raise ValidationError({"motivo": "Indique el motivo del préstamo."})
    if solicitante is None or not solicitante.is_active:
        raise ValidationError({"solicitante": "El expediente se presta a un usuario activo del portal."})
    hoy = timezone.localdate()
    if vence_el is None or vence_el <= hoy:
        raise ValidationError({"vence_el": f"La fecha de devolución debe ser posterior a hoy ({fecha(hoy)})."})
    with transaction.atomic():
        actual = expediente_bloquear(expediente, cerrado=True)
        abierto = Prestamo.objects.filter(expediente=actual, devuelto_en__isnull=True).select_related(
            "solicitante").first()
        if abierto is not None:
            raise ValidationError(
                f"El expediente {actual.numero} está prestado a {_nombre(abierto.solicitante)} desde el "
                f"{fecha(abierto.prestado_en)} (devolución hasta el {fecha(abierto.vence_el)}): registre "
                "primero su devolución.")
        prestamo = Prestamo.objects.create(expediente=actual, solicitante=solicitante, motivo=motivo,
                                           vence_el=vence_el, prestado_por=usuario)
        registro_anotar(
            accion=Accion.PRESTAMO, usuario=usuario, expediente=actual,
            objeto=f"Préstamo a {_nombre(solicitante)} hasta el {fecha(vence_el)}",
            datos={"prestamo": prestamo.pk, "solicitante": solicitante.get_username(),
                   "vence_el": vence_el, "motivo": motivo})
    return prestamo


def prestamo_devolver(*, prestamo: Prestamo, usuario, observaciones: str = "") -> Prestamo:
    """The paper original is back: who received it, when, and in what condition."""
    _exigir(usuario, "change_prestamo", prestamo.expediente, "registrar devoluciones")
    with transaction.atomic():
        expediente_bloquear(prestamo.expediente, cerrado=True)
        actual = Prestamo.objects.select_for_update().select_related("expediente").get(pk=prestamo.pk)
        if actual.devuelto_en is not None:
            raise ValidationError(f"Este préstamo ya fue devuelto el {fecha(actual.devuelto_en)}.")
        actual.devuelto_en, actual.recibido_por = timezone.now(), usuario
        actual.observaciones_devolucion = (observaciones or "").strip()
        actual.save(update_fields=["devuelto_en", "recibido_por", "observaciones_devolucion"])
        atraso = (timezone.localdate() - actual.vence_el).days
        registro_anotar(
            accion=Accion.DEVOLUCION, usuario=usuario, expediente=actual.expediente,
            objeto=f"Devolución del préstamo del {fecha(actual.prestado_en)}"
                   + (f", {atraso} día{'s' if atraso != 1 else ''} de atraso" if atraso > 0 else ""),
            datos={"prestamo": actual.pk, "observaciones": actual.observaciones_devolucion,
                   "dias_atraso": max(atraso, 0)})
    return actual


def prestamos_abiertos():
    return Prestamo.objects.filter(devuelto_en__isnull=True)


def prestamos_vencidos(hoy: date | None = None):
    """Open loans whose return date has passed."""
    return prestamos_abiertos().filter(vence_el__lt=hoy or timezone.localdate())
