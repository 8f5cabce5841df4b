"""Fixtures of the archive's tests. A closed expediente is set up directly (a Cierre row and
its phase), not through the cierre service: each part of the archive is tested on its own."""

from datetime import date, timedelta

import pytest


@pytest.fixture
def serie_inmediata(juzgado):
    """A serie whose closed expedientes may be transferred at once (0 years in gestión) and
    are kept 5 more years in the archivo central."""
    from archivo.models import Serie
    from archivo.services.clasificacion import serie_por_defecto

    base = serie_por_defecto()
    return Serie.objects.create(seccion=base.seccion, codigo="PRUEBA-TRANSFERIBLE", nombre="Serie de prueba",
                                anios_gestion=0, anios_central=5, disposicion_final=base.disposicion_final,
                                base_legal="Prueba")


@pytest.fixture
def expediente_cerrado(usuarios, serie_inmediata, pdf):
    """expediente_cerrado(fecha_cierre=..., folios=..., archivos=1, serie=..., caja=...): an
    expediente with `archivos` stored files, closed on that date (Cierre row, fase cerrado)."""
    from archivo.fases import FaseArchivo
    from archivo.models import Caja, Cierre, Soporte, UbicacionFisica
    from expedientes.models import ExpedientePage, TipoActuacion
    from expedientes.services.actuaciones import actuacion_registrar
    from expedientes.services.adjuntos import adjunto_crear
    from tests.factories import expediente_crear

    def crear(fecha_cierre: date | None = None, *, folios: int = 10, archivos: int = 1, serie=None,
              caja: str = "", soporte=Soporte.HIBRIDO, nombre="EMPRESA CERRADA S.A."):
        secretaria = usuarios["secretaria"]
        expediente = expediente_crear(usuario=secretaria, nombre=nombre)
        if archivos:
            actuacion = actuacion_registrar(expediente=expediente, tipo=TipoActuacion.AUTO_DE_PAGO,
                                            fecha=expediente.fecha_recepcion, usuario=secretaria)
            for n in range(archivos):
                adjunto_crear(actuacion=actuacion, titulo=f"Documento {n + 1}", flujo=pdf(),
                              nombre=f"documento-{n + 1}.pdf", usuario=secretaria)
        fecha_cierre = fecha_cierre or date.today() - timedelta(days=1)
        Cierre.objects.create(expediente=expediente, fecha=fecha_cierre, cerrado_por=secretaria, folios=folios,
                              fecha_inicial=expediente.fecha_recepcion, fecha_final=fecha_cierre, soporte=soporte)
        ExpedientePage.objects.filter(pk=expediente.pk).update(
            archivo_fase=FaseArchivo.CERRADO, serie=serie or serie_inmediata)
        if caja:
            caja_obj, _ = Caja.objects.get_or_create(codigo=caja, defaults={"creada_por": secretaria})
            UbicacionFisica.objects.create(expediente=expediente, caja=caja_obj, registrada_por=secretaria)
        expediente.refresh_from_db()
        return expediente

    return crear
