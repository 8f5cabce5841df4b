"""Seized assets and auctions of the demo unit, recorded through the services
(expedientes/services/embargos.py) on expedientes the caller chooses (the living demo's
current-year ones): a vehicle seized, valued, auctioned and adjudicated, its value paid into the
account; a property seized, valued and its auction declared deserted. Dates fall between the
expediente's last act and today, so the caller may run it on any recent intake."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from expedientes.estados import Estado
from expedientes.models import ActuacionPage, OrigenPago, ResultadoRemate, TipoBien
from expedientes.services import cuenta, embargos

# enforcement stands where an auto de embargo follows (cited, or with measures ordered)
ESTADOS_APTOS = (Estado.CITADO, Estado.MEDIDAS_CAUTELARES, Estado.EMBARGO)
CENTAVO = Decimal("0.01")
DIAS_MINIMOS = 5  # one day per act: embargo, avalúo, señalamiento, remate, pago

BIENES = [
    # tipo, description, valuation as a share of the balance, auction result
    (TipoBien.VEHICULO, "Camioneta Chevrolet D-Max 2019, placa ABC-1234, color blanco", Decimal("1.40"),
     ResultadoRemate.ADJUDICADO),
    (TipoBien.INMUEBLE, "Lote de terreno de 320 m² en la parroquia Baños, Cuenca, clave catastral 0104-55-031",
     Decimal("2.50"), ResultadoRemate.DESIERTO),
]


def _ultimo_acto(expediente) -> date:
    fechas = [expediente.fecha_recepcion,
              expediente.transiciones.aggregate(f=Max("fecha"))["f"],
              expediente.pagos.aggregate(f=Max("fecha"))["f"],
              ActuacionPage.objects.child_of(expediente).aggregate(f=Max("fecha"))["f"]]
    return max(f for f in fechas if f)


def _fechas(desde: date, hasta: date) -> list[date]:
    """Embargo, avalúo, señalamiento, the auction and the payment, a few days apart within
    the days available (at least DIAS_MINIMOS)."""
    paso = min(7, (hasta - desde).days // DIAS_MINIMOS)
    return [desde + timedelta(days=paso * n) for n in range(1, 6)]


def bienes_demo(expedientes, usuarios: dict, *, hoy: date | None = None) -> list:
    """Seize a vehicle and a property in the first two of `expedientes` that can take them
    (in enforcement, with a balance, with DIAS_MINIMOS days since their last act) and record
    their auctions: one adjudicated (with its payment), one deserted. Returns the remates."""
    hoy = hoy or timezone.localdate()
    jefe, secretaria = usuarios["jefe"], usuarios["secretaria"]
    remates = []
    candidatos = iter(expedientes)
    for tipo, descripcion, factor, resultado in BIENES:
        for expediente in candidatos:
            expediente.refresh_from_db()
            desde = _ultimo_acto(expediente)
            if expediente.estado in ESTADOS_APTOS and (hoy - desde).days >= DIAS_MINIMOS:
                saldo = cuenta.cuenta_liquidar(expediente, desde).saldo
                if saldo > 0:
                    break
        else:
            break  # no more expedientes that can take a seizure
        embargo, avaluo_el, senalamiento, remate_el, pago_el = _fechas(desde, hoy)
        avaluo = (saldo * factor).quantize(CENTAVO)
        bien = embargos.bien_embargar(expediente=expediente, tipo=tipo, descripcion=descripcion, fecha=embargo,
                                      usuario=jefe, firmante=jefe)
        embargos.bien_avaluar(bien=bien, avaluo=avaluo, fecha=avaluo_el, usuario=secretaria,
                              perito="Ing. Esteban Molina, perito calificado del Consejo de la Judicatura")
        base = (avaluo * 2 / 3).quantize(CENTAVO)
        remate = embargos.remate_senalar(bien=bien, fecha=senalamiento, fecha_senalada=remate_el, base=base,
                                         usuario=jefe)
        if resultado == ResultadoRemate.ADJUDICADO:
            valor = (base * Decimal("1.05")).quantize(CENTAVO)
            remate = embargos.remate_registrar_resultado(
                remate=remate, resultado=resultado, fecha=remate_el, usuario=jefe, valor_adjudicado=valor,
                adjudicatario="Luis Alberto Pesántez Ordóñez, cédula 0102030405")
            expediente.refresh_from_db()
            monto = min(valor, cuenta.cuenta_liquidar(expediente, pago_el).saldo)
            cuenta.pago_registrar(expediente=expediente, fecha=pago_el, monto=monto, origen=OrigenPago.REMATE,
                                  recibo=f"{expediente.numero}-REM-1", usuario=secretaria, remate=remate)
        else:
            remate = embargos.remate_registrar_resultado(
                remate=remate, resultado=resultado, fecha=remate_el, usuario=jefe,
                observaciones="No se presentaron posturas.")
        remates.append(remate)
    return remates
