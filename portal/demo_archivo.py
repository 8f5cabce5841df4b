"""The archive of the demo unit, recorded through the archive's services after the 2025
intake (portal.demo): the paid and archived files of 2025 closed and boxed, an older batch
(files of 2014, closed in 2016, whose five years in the archivo de gestión are over) proposed
and sent to the Archivo Central awaiting cotejo, the contested cases selected for the
clean-up, a physical file on loan, and one fixity audit of the store. The 2025 figures do
not change: closing a file changes its archive phase, not its process."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from archivo.services import cierre, fisico, impugnados, transferencias
from archivo.services.fijeza import fijeza_auditar
from expedientes.estados import FINALES, Estado
from expedientes.models import ExpedientePage
from expedientes.services.coactivados import coactivado_registrar
from expedientes.services.expedientes import expediente_abrir, numero_formatear
from expedientes.services.proceso import expediente_transicion

# how many 2025 files in a final state are closed (each renders its índice, carátula, label
# and foliated copy: a second or two apiece)
CIERRES_2025 = 8
ANTIGUOS = [  # files of 2014 extinguished and closed in 2016: due for transfer
    ("COMERCIAL ANDINA CIA. LTDA.", "01", date(2014, 3, 10), date(2016, 2, 15)),
    ("TEXTILES DEL AUSTRO S.A.", "01", date(2014, 5, 22), date(2016, 4, 4)),
    ("CONSTRUCTORA CAÑARI S.A.", "03", date(2014, 8, 5), date(2016, 6, 20)),
    ("TRANSPORTES ORIENTAL S.A.", "14", date(2014, 11, 3), date(2016, 9, 12)),
]


def _antiguos(rng, usuarios) -> list[ExpedientePage]:
    from portal.demo import ruc_sociedad_generar

    creados = []
    for secuencial, (nombre, provincia, recepcion, cerrado) in enumerate(ANTIGUOS, start=31):
        coactivado = coactivado_registrar(identificacion=ruc_sociedad_generar(rng, provincia), nombre=nombre,
                                          usuario=usuarios["secretaria"])
        expediente = expediente_abrir(
            coactivado=coactivado, provincia=provincia, fecha_recepcion=recepcion,
            monto_titulo=Decimal(rng.randrange(40_000, 900_000)) / 100, usuario=usuarios["secretaria"],
            numero=numero_formatear(2014, secuencial), orden_cobro_numero=f"OC-2014-{secuencial:03d}")
        expediente_transicion(expediente=expediente, hasta=Estado.BAJA, usuario=usuarios["jefe"],
                              fecha=cerrado - timedelta(days=30),
                              motivo="Baja de cartera por prescripción de la acción de cobro.")
        cierre.expediente_cerrar(expediente=expediente, usuario=usuarios["secretaria"], fecha=cerrado)
        creados.append(expediente)
    return creados


def archivo_demo_cargar(usuarios: dict, *, salida=print, semilla: int = 2014) -> None:
    rng = random.Random(semilla)
    secretaria, jefe, archivista = usuarios["secretaria"], usuarios["jefe"], usuarios["archivista"]
    estante = fisico.estante_crear(codigo="E-01", ubicacion="Archivo de gestión, planta baja, pasillo 1",
                                   usuario=secretaria)
    caja_2025 = fisico.caja_crear(codigo="JC-2025-01", estante=estante, usuario=secretaria,
                                  descripcion="Expedientes concluidos de 2025")
    caja_2014 = fisico.caja_crear(codigo="JC-2014-01", estante=estante, usuario=secretaria,
                                  descripcion="Expedientes concluidos de 2014")

    finales = list(ExpedientePage.objects.filter(anio=2025, estado__in=FINALES).order_by("secuencial")
                   [:CIERRES_2025])
    for expediente in finales:
        cierre.expediente_cerrar(expediente=expediente, usuario=secretaria)
        fisico.expediente_ubicar(expediente=expediente, caja=caja_2025, usuario=secretaria)
    antiguos = _antiguos(rng, usuarios)
    for expediente in antiguos:
        fisico.expediente_ubicar(expediente=expediente, caja=caja_2014, usuario=secretaria)
    salida(f"Archivo: {len(finales)} expedientes de 2025 cerrados en la caja {caja_2025}; "
           f"{len(antiguos)} de 2014 cerrados en 2016 en la caja {caja_2014}.")

    lote = transferencias.transferencia_crear(usuario=secretaria, expedientes=antiguos[:3],
                                              observaciones="Primera transferencia primaria del Juzgado.")
    transferencias.transferencia_solicitar(transferencia=lote, usuario=jefe)
    salida(f"Transferencia {lote.numero} solicitada al Archivo Central ({len(antiguos[:3])} expedientes, "
           "espera el cotejo); queda 1 expediente propuesto para la siguiente.")

    impugnados_2025 = ExpedientePage.objects.filter(estado=Estado.IMPUGNADO).order_by("secuencial")
    for expediente in impugnados_2025:
        impugnados.impugnado_seleccionar(expediente=expediente, usuario=jefe,
                                         tribunal="Tribunal Distrital de lo Contencioso Administrativo, Cuenca")
    if finales:
        fisico.prestamo_registrar(expediente=finales[0], solicitante=usuarios["abogado1"], usuario=secretaria,
                                  motivo="Consulta del original para contestar un requerimiento de Contraloría.",
                                  vence_el=timezone.localdate() + timedelta(days=5))
    auditoria = fijeza_auditar(usuario=archivista)
    salida(f"Depuración de impugnados: {impugnados_2025.count()} seleccionados. Auditoría de integridad: "
           f"{auditoria.revisadas} versiones revisadas, {auditoria.alteradas + auditoria.faltantes} con problemas.")
