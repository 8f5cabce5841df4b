"""What must be true of an expediente before it enters a state: one table, checked by
expediente_transicion on the locked, fresh row. The generic «cambio de estado» form and the
specific actions (a payment, a plan, the informe de insolvencia…) reach a state only through
that function, so they obey the same rules."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError

from expedientes.calendario import fecha_formatear
from expedientes.formato import usd
from expedientes.estados import Estado
from expedientes.models import ConvenioPago, EstadoConvenio, ObjetoBusqueda, RegistroPublico, TipoActuacion


def busquedas_agotadas(expediente, *, objeto: str, exigidos: list[str]) -> None:
    """The searches the rules require for that question, all without result."""
    busquedas = list(expediente.busquedas.filter(objeto=objeto))
    que = ObjetoBusqueda(objeto).label.lower()
    if any(b.encontrado for b in busquedas):
        raise ValidationError(f"Una búsqueda encontró {que}: no procede.")
    hechos = {b.registro for b in busquedas}
    faltan = [str(RegistroPublico(r).label) for r in exigidos if r not in hechos]
    if faltan:
        raise ValidationError(f"Faltan búsquedas de {que} sin resultado en: {', '.join(faltan)}.")


def _saldo_cero(expediente, *, usuario, fecha: date) -> None:
    # cuenta imports this module's caller (proceso): read the ledger through it lazily
    from expedientes.services.cuenta import cuenta_liquidar

    saldo = cuenta_liquidar(expediente, fecha).saldo
    if saldo != 0:
        raise ValidationError(
            f"El saldo al {fecha_formatear(fecha)} es {usd(saldo)}: el expediente se declara pagado "
            "solo con saldo cero (registre el pago)."
        )


def _busquedas_de_domicilio(expediente, *, usuario, fecha: date) -> None:
    busquedas_agotadas(expediente, objeto=ObjetoBusqueda.DOMICILIO,
                       exigidos=settings.ILOCALIZABLES["REGISTROS_EXIGIDOS"])


def _informe_de_insolvencia(expediente, *, usuario, fecha: date) -> None:
    from expedientes.models import Adjunto

    if not Adjunto.objects.filter(actuacion__path__startswith=expediente.path,
                                  actuacion__tipo=TipoActuacion.INFORME_INSOLVENCIA).exists():
        raise ValidationError(
            "La insolvencia se declara con su informe: genere el «Informe de insolvencia», que "
            "cambia el estado."
        )


def _convenio_vigente(expediente, *, usuario, fecha: date) -> None:
    if not ConvenioPago.objects.filter(expediente=expediente, estado=EstadoConvenio.VIGENTE).exists():
        raise ValidationError(
            "El convenio de pago se registra con sus cuotas: use «Convenio de pago», que cambia el estado."
        )


def _por_el_jefe(expediente, *, usuario, fecha: date) -> None:
    if usuario is None or not usuario.has_perm("expedientes.baja_expediente"):
        raise ValidationError("Solo el jefe de coactivas da de baja un expediente, con el motivo.")


PRECONDICIONES = {
    Estado.PAGADO: _saldo_cero,
    Estado.ILOCALIZABLE: _busquedas_de_domicilio,
    Estado.INSOLVENCIA: _informe_de_insolvencia,
    Estado.CONVENIO_PAGO: _convenio_vigente,
    Estado.BAJA: _por_el_jefe,
}


def precondiciones_verificar(expediente, hasta: str, *, usuario, fecha: date) -> None:
    verificar = PRECONDICIONES.get(hasta)
    if verificar:
        verificar(expediente, usuario=usuario, fecha=fecha)
