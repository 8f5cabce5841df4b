"""The products of acts and states (1 matriz, 2 providencias, 3 autos, 4 actos, 8 estado,
9 insolvencias, 10 ilocalizables) on a dataset built through the real services: every
figure checked against the same figure computed here in plain Python from the records (the
page tree, the transitions as rows), not from the stored fields the products read."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from expedientes.estados import FINALES, Estado
from expedientes.informes.base import Parametros, Periodo, expedientes_del_informe, informe_calcular, informe_obtener
from expedientes.models import (
    ActuacionPage, Busqueda, ClaveDocumento, DocumentoEmitido, ExpedientePage, ObjetoBusqueda, PublicacionPrensa,
    RegistroPublico, TipoActuacion, Transicion,
)
from expedientes.services import cuenta, ilocalizables
from expedientes.services.actuaciones import actuacion_registrar
from expedientes.services.proceso import expediente_transicion
from permisos import roles
from tests.factories import expediente_crear, usuario_con_rol

pytestmark = pytest.mark.servicios

T = TipoActuacion
D = Decimal
ANIO = Periodo.anio(2025)
FEBRERO, MARZO = Periodo.mes(2025, 2), Periodo.mes(2025, 3)
PERIODOS = (ANIO, FEBRERO, MARZO, Periodo.rango(date(2025, 1, 15), date(2025, 2, 20)))
VACIO = Periodo.mes(2023, 6)
NOTIFICACIONES = (T.NOTIFICACION, T.CITACION, T.RAZON)


@pytest.fixture
def datos(usuarios, tasa):
    """Five processes in Azuay (01) and Cañar (03), two lawyers, January to March 2025 (and one
    received in 2024): paid, untraceable with publications, seized then a payment plan,
    measures, a process with no act."""
    s, j = usuarios["secretaria"], usuarios["jefe"]
    a = usuarios["abogado"]
    b = usuario_con_rol(roles.ROL_ABOGADO, username="abogado2", first_name="María", last_name="Cárdenas")

    def acto(e, tipo, fecha, quien=s, numero=""):
        return actuacion_registrar(expediente=e, tipo=tipo, fecha=fecha, usuario=quien, numero=numero)

    def estado(e, hasta, fecha):
        expediente_transicion(expediente=e, hasta=hasta, usuario=j, fecha=fecha, motivo="Prueba")

    # 1. Azuay, A: cited, a providencia notified, then paid in March
    e1 = expediente_crear(usuario=s, nombre="PAGADORA S.A.", provincia="01", fecha=date(2025, 1, 10), abogado=a,
                          orden_cobro_numero="OC-1")
    acto(e1, T.AUTO_DE_PAGO, date(2025, 1, 13))
    estado(e1, Estado.CITADO, date(2025, 1, 20))
    acto(e1, T.PROVIDENCIA, date(2025, 2, 5), numero="1")
    acto(e1, T.NOTIFICACION, date(2025, 2, 6))
    saldo = cuenta.cuenta_liquidar(e1, date(2025, 3, 10)).saldo
    cuenta.pago_registrar(expediente=e1, fecha=date(2025, 3, 10), monto=saldo, origen="voluntario", recibo="R-1",
                          usuario=s)
    # 2. Cañar, B: a providencia never notified, untraceable, two press publications
    e2 = expediente_crear(usuario=s, nombre="ILOCALIZABLE CÍA. LTDA.", provincia="03", fecha=date(2025, 1, 20),
                          abogado=b)
    acto(e2, T.AUTO_DE_PAGO, date(2025, 1, 21))
    acto(e2, T.PROVIDENCIA, date(2025, 2, 10), numero="1")
    for registro in (RegistroPublico.REGISTRO_CIVIL, RegistroPublico.SRI):
        ilocalizables.busqueda_registrar(expediente=e2, registro=registro, fecha=date(2025, 2, 12),
                                         resultado="Domicilio inexistente", encontrado=False, usuario=b)
    ilocalizables.ilocalizable_declarar(expediente=e2, usuario=b, fecha=date(2025, 2, 14))
    ilocalizables.publicacion_registrar(expediente=e2, periodico="El Mercurio", fecha=date(2025, 2, 20),
                                        costo=D("85.40"), usuario=s)
    ilocalizables.publicacion_registrar(expediente=e2, periodico="El Tiempo", fecha=date(2025, 3, 3),
                                        costo=D("90.00"), usuario=s)
    # 3. Azuay, A: cited, seized, a payment plan (another auto), a providencia and its razón
    e3 = expediente_crear(usuario=s, nombre="EMBARGADA S.A.", provincia="01", fecha=date(2025, 2, 3), abogado=a)
    acto(e3, T.AUTO_DE_PAGO, date(2025, 2, 4))
    estado(e3, Estado.CITADO, date(2025, 2, 10))
    acto(e3, T.EMBARGO, date(2025, 2, 20))
    acto(e3, T.CONVENIO_DE_PAGO, date(2025, 3, 1))
    acto(e3, T.PROVIDENCIA, date(2025, 3, 5), numero="1")
    acto(e3, T.RAZON, date(2025, 3, 6))
    ilocalizables.busqueda_registrar(expediente=e3, registro=RegistroPublico.ANT, fecha=date(2025, 3, 7),
                                     resultado="Un vehículo", encontrado=True, usuario=a, objeto=ObjetoBusqueda.BIENES)
    # 4. Cañar, B: received in March, nothing else (its last act: the orden de cobro)
    e4 = expediente_crear(usuario=s, nombre="NUEVA S.A.", provincia="03", fecha=date(2025, 3, 15), abogado=b,
                          orden_cobro_numero="OC-4")
    # 5. Azuay, A: received in 2024, measures in 2025, a second providencia acted out of order
    e5 = expediente_crear(usuario=s, nombre="ANTIGUA S.A.", provincia="01", fecha=date(2024, 11, 5), abogado=a)
    acto(e5, T.PROVIDENCIA, date(2025, 1, 8), numero="7")
    acto(e5, T.MEDIDA_CAUTELAR, date(2025, 1, 15))
    estado(e5, Estado.MEDIDAS_CAUTELARES, date(2025, 1, 15))
    acto(e5, T.PROVIDENCIA, date(2025, 1, 9), numero="8")  # recorded after a later act
    return {"expedientes": [e1, e2, e3, e4, e5], "a": a, "b": b}


# --- the same figures, in plain Python over the records ------------------------------------

@dataclass
class Hecho:
    pk: int
    numero: str
    provincia: str
    recepcion: date
    abogado_id: int | None
    estado: str
    actos: list = field(default_factory=list)  # (tipo, fecha, numero), from the page tree
    transiciones: list = field(default_factory=list)  # (fecha, desde, hasta), in order
    busquedas: list = field(default_factory=list)  # (fecha, registro, objeto)
    publicaciones: list = field(default_factory=list)  # (fecha, periodico, costo)

    def estado_al(self, dia):
        antes = [t for t in self.transiciones if t[0] <= dia]
        despues = [t for t in self.transiciones if t[0] > dia]
        return antes[-1][2] if antes else despues[0][1] if despues else self.estado

    def ultima_al(self, dia):
        actos = [(f, i) for i, (_t, f, _n) in enumerate(self.actos) if f <= dia]
        if not actos:
            return ("", None)
        fecha, i = max(actos)
        return (self.actos[i][0], fecha)


def _hechos(usuario=None) -> list[Hecho]:
    expedientes = ExpedientePage.objects.order_by("numero")
    if usuario is not None:
        expedientes = expedientes.filter(abogado=usuario)
    hechos = []
    for e in expedientes:
        h = Hecho(e.pk, e.numero, e.provincia, e.fecha_recepcion, e.abogado_id, e.estado)
        # children in tree order (the order they were recorded)
        h.actos = [(a.tipo, a.fecha, a.numero) for a in
                   ActuacionPage.objects.filter(path__startswith=e.path, depth=e.depth + 1, live=True).order_by("path")]
        h.transiciones = [(t.fecha, t.desde, t.hasta) for t in
                          sorted(Transicion.objects.filter(expediente_id=e.pk),
                                 key=lambda t: (t.fecha, t.registrada_en, t.pk))]
        h.busquedas = [(b.fecha, b.registro, b.objeto) for b in Busqueda.objects.filter(expediente_id=e.pk)]
        h.publicaciones = [(p.fecha, p.periodico, p.costa.monto) for p in
                           PublicacionPrensa.objects.filter(expediente_id=e.pk).select_related("costa")]
        hechos.append(h)
    return hechos


def _en(fecha, periodo):
    return periodo.desde <= fecha <= periodo.hasta


def _esperado(hechos: list[Hecho], periodo: Periodo, provincia: str = "") -> dict[str, dict]:
    hechos = [h for h in hechos if not provincia or h.provincia == provincia]
    hasta = periodo.hasta
    registro = [h for h in hechos if h.recepcion <= hasta]
    matriz = {
        "iniciados": sum(_en(h.recepcion, periodo) for h in hechos),
        "registro": len(registro),
        "en_tramite": sum(h.estado_al(hasta) not in FINALES for h in registro),
    }
    for codigo in {h.provincia for h in registro}:
        matriz[f"iniciados_{codigo}"] = sum(_en(h.recepcion, periodo) for h in hechos if h.provincia == codigo)

    providencias = [(h, f) for h in hechos for t, f, _n in h.actos if t == T.PROVIDENCIA and _en(f, periodo)]
    notificada = [any(t in NOTIFICACIONES and f <= g <= hasta for t, g, _n in h.actos) for h, f in providencias]

    def autos(tipos):
        return sum(t in tipos and _en(f, periodo) for h in hechos for t, f, _n in h.actos)

    autos_ = {"autos_pago": autos({T.AUTO_DE_PAGO}), "autos_embargo": autos({T.EMBARGO}),
              "otros_autos": autos({T.MEDIDA_CAUTELAR, T.CONVENIO_DE_PAGO, T.REMATE})}
    autos_["total"] = sum(autos_.values())

    actos = Counter(t for h in hechos for t, f, _n in h.actos if _en(f, periodo))
    estados = Counter(h.estado_al(hasta) for h in registro)

    def declarados(estado):
        return sum(any(t[2] == estado and _en(t[0], periodo) for t in h.transiciones) for h in hechos)

    publicaciones = [p for h in hechos for p in h.publicaciones if _en(p[0], periodo)]
    return {
        "matriz": matriz,
        "providencias": {"emitidas": len(providencias), "notificadas": sum(notificada)},
        "autos": autos_,
        "actos": {"total": sum(actos.values()), **{f"tipo_{t.value}": actos[t.value] for t in TipoActuacion}},
        "estado": {"total": len(registro), **{f"estado_{e.value}": estados[e.value] for e in Estado}},
        "insolvencias": {"declaradas": declarados(Estado.INSOLVENCIA), "dossiers": 0,
                         "vigentes": estados[Estado.INSOLVENCIA]},
        "ilocalizables": {
            "declarados": declarados(Estado.ILOCALIZABLE),
            "busquedas": sum(_en(b[0], periodo) for h in hechos for b in h.busquedas),
            "publicaciones": len(publicaciones),
            "costo_publicaciones": sum((p[2] for p in publicaciones), D("0.00")),
            "vigentes": estados[Estado.ILOCALIZABLE],
        },
    }


# Figures that count expedientes: the list behind them has exactly that many.
CUENTAN_EXPEDIENTES = {"matriz": ("iniciados", "registro", "en_tramite", "iniciados_", "registro_", "en_tramite_"),
                       "estado": ("total", "estado_"), "insolvencias": ("declaradas", "vigentes"),
                       "ilocalizables": ("declarados", "vigentes")}


def _comprobar(resultado, esperado: dict):
    clave = resultado.informe.clave
    for cifra_clave, valor in esperado.items():
        cifra = resultado.cifra(cifra_clave)
        assert cifra.valor == valor, (clave, resultado.parametros.periodo, cifra_clave, cifra.valor, valor)
    claves = [c.clave for c in resultado.todas_las_cifras()]
    assert len(claves) == len(set(claves)), claves
    for cifra in resultado.todas_las_cifras():
        assert cifra.expedientes is not None, cifra.clave
        if any(cifra.clave == p or (p.endswith("_") and cifra.clave.startswith(p))
               for p in CUENTAN_EXPEDIENTES.get(clave, ())):
            assert cifra.expedientes.count() == cifra.valor, (clave, cifra.clave)
        elif cifra.formato == "entero":  # acts, searches: at least one expediente each when there are any
            assert (cifra.expedientes.count() > 0) == (cifra.valor > 0), (clave, cifra.clave)
    list(resultado.detalle.filas)  # the detail runs


PRODUCTOS = ("matriz", "providencias", "autos", "actos", "estado", "insolvencias", "ilocalizables")


@pytest.mark.parametrize("periodo", PERIODOS, ids=lambda p: p.etiqueta)
def test_cifras_iguales_a_las_calculadas_a_mano(datos, usuarios, periodo):
    esperado = _esperado(_hechos(), periodo)
    for clave in PRODUCTOS:
        _comprobar(informe_calcular(clave=clave, parametros=Parametros(periodo), usuario=usuarios["jefe"]),
                   esperado[clave])


def test_valores_conocidos_del_anio(datos, usuarios):
    """A few figures written out, so the Python above cannot drift with the products."""
    p = Parametros(ANIO)
    jefe = usuarios["jefe"]

    def cifra(clave, c):
        return informe_calcular(clave=clave, parametros=p, usuario=jefe).cifra(c).valor

    assert (cifra("matriz", "iniciados"), cifra("matriz", "registro"), cifra("matriz", "en_tramite")) == (4, 5, 4)
    assert (cifra("matriz", "iniciados_01"), cifra("matriz", "iniciados_03"), cifra("matriz", "iniciados_14")) == (2, 2, 0)
    assert (cifra("providencias", "emitidas"), cifra("providencias", "notificadas")) == (5, 2)
    assert (cifra("autos", "autos_pago"), cifra("autos", "autos_embargo"), cifra("autos", "otros_autos")) == (3, 1, 2)
    assert cifra("actos", "tipo_orden_cobro") == 2 and cifra("actos", "tipo_providencia") == 5
    assert (cifra("ilocalizables", "publicaciones"), cifra("ilocalizables", "costo_publicaciones")) == (2, D("175.40"))
    assert (cifra("ilocalizables", "busquedas"), cifra("ilocalizables", "declarados")) == (3, 1)
    assert cifra("estado", "estado_pagado") == 1 and cifra("estado", "estado_ilocalizable") == 1


def test_filtro_de_provincia(datos, usuarios):
    hechos = _hechos()
    for periodo in (ANIO, MARZO):
        esperado = _esperado(hechos, periodo, provincia="03")
        for clave in PRODUCTOS:
            resultado = informe_calcular(clave=clave, parametros=Parametros(periodo, provincia="03"),
                                         usuario=usuarios["jefe"])
            _comprobar(resultado, esperado[clave])
    matriz = informe_calcular(clave="matriz", parametros=Parametros(ANIO, provincia="03"), usuario=usuarios["jefe"])
    assert [fila[0] for fila in matriz.secciones[0].filas] == ["Cañar"]
    assert {fila[3] for fila in matriz.detalle.filas} == {"03"}


def test_un_periodo_sin_nada(datos, usuarios):
    for clave in PRODUCTOS:
        resultado = informe_calcular(clave=clave, parametros=Parametros(VACIO), usuario=usuarios["jefe"])
        assert all(c.valor == 0 for c in resultado.todas_las_cifras()), clave
        assert list(resultado.detalle.filas) == [], clave
    matriz = informe_calcular(clave="matriz", parametros=Parametros(VACIO), usuario=usuarios["jefe"])
    # the unit's three provinces are there, with zeros
    assert {"iniciados_01", "iniciados_03", "iniciados_14"} <= {c.clave for c in matriz.todas_las_cifras()}


def test_estado_a_una_fecha_pasada(datos, usuarios):
    """The process paid on 10/03/2025 was «citado» at the end of February."""
    e1 = datos["expedientes"][0]
    jefe = usuarios["jefe"]

    def fila(periodo):
        detalle = informe_calcular(clave="estado", parametros=Parametros(periodo), usuario=jefe).detalle
        return {f[0]: f for f in detalle.filas}[e1.numero]

    assert fila(FEBRERO)[5] == Estado.CITADO and fila(FEBRERO)[6] == date(2025, 1, 20)
    assert fila(MARZO)[5] == Estado.PAGADO and fila(MARZO)[6] == date(2025, 3, 10)
    assert fila(Periodo.mes(2025, 1))[5] == Estado.CITADO
    # before any change: where its first change started from
    assert fila(Periodo.rango(date(2025, 1, 10), date(2025, 1, 12)))[5] == Estado.INICIADO
    febrero = informe_calcular(clave="estado", parametros=Parametros(FEBRERO), usuario=jefe)
    assert e1.pk in set(febrero.cifra("estado_citado").expedientes.values_list("pk", flat=True))
    assert febrero.cifra("estado_pagado").valor == 0
    assert informe_calcular(clave="matriz", parametros=Parametros(FEBRERO), usuario=jefe).cifra("en_tramite").valor == 4


def test_matriz_detalle_y_ultima_actuacion_al_fin_del_periodo(datos, usuarios):
    e1, _e2, e3, e4, e5 = datos["expedientes"]
    jefe = usuarios["jefe"]
    hechos = {h.numero: h for h in _hechos()}
    for periodo in (FEBRERO, ANIO):
        resultado = informe_calcular(clave="matriz", parametros=Parametros(periodo), usuario=jefe)
        filas = list(resultado.detalle.filas)
        assert [f[0] for f in filas] == sorted(h.numero for h in hechos.values() if h.recepcion <= periodo.hasta)
        assert len(filas[0]) == len(resultado.detalle.columnas)
        for f in filas:
            h = hechos[f[0]]
            assert (f[7], f[8]) == h.ultima_al(periodo.hasta), (periodo, f)
            assert f[6] == h.estado_al(periodo.hasta)
    por_numero = {f[0]: f for f in informe_calcular(clave="matriz", parametros=Parametros(FEBRERO),
                                                   usuario=jefe).detalle.filas}
    assert por_numero[e3.numero][7:9] == (T.EMBARGO, date(2025, 2, 20))  # acted on again in March
    assert por_numero[e5.numero][1:4] == ("ANTIGUA S.A.", e5.coactivado.identificacion, "01")
    assert por_numero[e5.numero][9] == datos["a"].get_full_name()
    e1.refresh_from_db()
    e4.refresh_from_db()
    e5.refresh_from_db()
    assert (e1.ultima_actuacion_tipo, e1.ultima_actuacion_fecha) == (T.NOTIFICACION, date(2025, 2, 6))
    assert (e4.ultima_actuacion_tipo, e4.ultima_actuacion_fecha) == (T.ORDEN_DE_COBRO, date(2025, 3, 15))
    # an act recorded later with an earlier date does not become the last one
    assert (e5.ultima_actuacion_tipo, e5.ultima_actuacion_fecha) == (T.MEDIDA_CAUTELAR, date(2025, 1, 15))


def test_el_abogado_cuenta_solo_sus_expedientes(datos, usuarios):
    for quien in (datos["a"], datos["b"]):
        hechos = _hechos(usuario=quien)
        assert hechos and len(hechos) < 5
        assert expedientes_del_informe(quien).count() == len(hechos)
        for periodo in (ANIO, FEBRERO):
            esperado = _esperado(hechos, periodo)
            for clave in PRODUCTOS:
                resultado = informe_calcular(clave=clave, parametros=Parametros(periodo), usuario=quien)
                _comprobar(resultado, esperado[clave])
                for cifra in resultado.todas_las_cifras():
                    assert set(cifra.expedientes.values_list("abogado", flat=True)) <= {quien.pk}


def test_cada_actuacion_guarda_su_expediente(datos):
    sin = ActuacionPage.objects.filter(expediente__isnull=True)
    assert not sin.exists()
    for a in ActuacionPage.objects.all():
        assert a.expediente_id == a.get_parent().pk


def test_actuacion_desde_el_editor_de_paginas(client, usuarios, expediente):
    """Wagtail's own create view: the act gets its expediente and becomes the last act."""
    client.force_login(usuarios["secretaria"])
    url = reverse("wagtailadmin_pages:add", args=["expedientes", "actuacionpage", expediente.pk])
    respuesta = client.post(url, {"tipo": T.ESCRITO, "fecha": "2025-03-20", "numero": "E-1", "resumen": "Escrito",
                                  "action-publish": "action-publish"})
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]
    actuacion = ActuacionPage.objects.get(numero="E-1")
    assert actuacion.expediente_id == expediente.pk and actuacion.live
    expediente.refresh_from_db()
    assert (expediente.ultima_actuacion_tipo, expediente.ultima_actuacion_fecha) == (T.ESCRITO, date(2025, 3, 20))


def test_documentos_generados_por_el_almacen_real(usuarios, tasa, versiones_en_bucket):
    """An auto de pago and a providencia de impulso generated (PDF, antivirus, S3), an
    insolvency with its informe and its dossier shared with Asesoría: the products count
    them by their acts and their documents."""
    from django.conf import settings
    from django.utils import timezone

    from expedientes.services.documentos import documento_generar
    from expedientes.services.dossier import dossier_armar
    from expedientes.selectors import actuaciones_de
    from permisos.services import dossier_compartir

    s, j, a = usuarios["secretaria"], usuarios["jefe"], usuarios["abogado"]
    e = expediente_crear(usuario=s, nombre="SIN BIENES S.A.", provincia="14", fecha=date(2025, 4, 1), abogado=a)
    auto = documento_generar(expediente=e, clave=ClaveDocumento.AUTO_PAGO, usuario=a, firmante=j,
                             fecha=date(2025, 4, 2))
    assert (auto.clave, auto.version_s3) in versiones_en_bucket()
    # a providencia de impulso generated on an act of another type still counts as a providencia
    otro = actuacion_registrar(expediente=e, tipo=T.OTRO, fecha=date(2025, 4, 3), usuario=a)
    documento_generar(expediente=e, clave=ClaveDocumento.PROVIDENCIA_IMPULSO, usuario=a, firmante=j,
                      fecha=date(2025, 4, 3), actuacion=otro)
    expediente_transicion(expediente=e, hasta=Estado.CITADO, usuario=a, fecha=date(2025, 4, 4), motivo="Citación")
    for registro in settings.INSOLVENCIA["REGISTROS_EXIGIDOS"]:
        ilocalizables.busqueda_registrar(expediente=e, registro=registro, fecha=date(2025, 4, 7), encontrado=False,
                                         resultado="Sin bienes", usuario=a, objeto=ObjetoBusqueda.BIENES)
    ilocalizables.insolvencia_declarar(expediente=e, usuario=a, firmante=j, fecha=date(2025, 4, 10))
    assert DocumentoEmitido.objects.filter(expediente=e).count() == 3
    abril = Parametros(Periodo.mes(2025, 4))

    def cifras(clave, parametros=abril):
        return informe_calcular(clave=clave, parametros=parametros, usuario=j)

    autos = cifras("autos")
    assert (autos.cifra("autos_pago").valor, autos.cifra("total").valor) == (1, 1)
    assert cifras("providencias").cifra("emitidas").valor == 1
    actos = cifras("actos")
    assert actos.cifra("tipo_informe_insolvencia").valor == 1 and actos.cifra("tipo_otro").valor == 1
    insolvencias = cifras("insolvencias")
    assert (insolvencias.cifra("declaradas").valor, insolvencias.cifra("vigentes").valor,
            insolvencias.cifra("dossiers").valor) == (1, 1, 0)

    dossier = dossier_armar(expediente=e, actuaciones=actuaciones_de(e), usuario=j)
    dossier_compartir(dossier=dossier, usuario=j)
    hoy = Parametros(Periodo.rango(date(2025, 4, 1), timezone.localdate()))
    insolvencias = cifras("insolvencias", hoy)
    assert insolvencias.cifra("dossiers").valor == 1
    assert list(insolvencias.cifra("dossiers").expedientes) == [e]
    fila = list(insolvencias.detalle.filas)[0]
    assert fila[0] == e.numero and fila[4] == date(2025, 4, 10) and fila[6] == timezone.localdate()
    matriz = cifras("matriz", hoy)
    assert matriz.cifra("iniciados_14").valor == 1
    e.refresh_from_db()
    assert e.ultima_actuacion_tipo == T.DOSSIER_INSOLVENCIA


def test_informes_registrados_con_sus_datos():
    for clave in PRODUCTOS:
        informe = informe_obtener(clave)
        assert informe.titulo and informe.descripcion and informe.numero
    assert informe_obtener("estado").a_fecha


def test_consultas_constantes(datos, usuarios):
    """No query per expediente or per row: the same number of queries with five processes
    as with none, the detail included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def consultas(periodo):
        with CaptureQueriesContext(connection) as capturadas:
            for clave in PRODUCTOS:
                resultado = informe_calcular(clave=clave, parametros=Parametros(periodo), usuario=usuarios["jefe"])
                list(resultado.detalle.filas)
        return len(capturadas)

    consultas(ANIO)  # caches of the permission policy, content types
    lleno, vacio = consultas(ANIO), consultas(VACIO)
    assert lleno == vacio and lleno < 40


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_la_migracion_rellena_lo_guardado(usuarios, tasa):
    """0017 on a database with acts: each actuación gets its expediente from the tree and each
    expediente its last act, as the services write them."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    e = expediente_crear(usuario=usuarios["secretaria"], fecha=date(2025, 1, 10), orden_cobro_numero="OC-9")
    actuacion_registrar(expediente=e, tipo=T.AUTO_DE_PAGO, fecha=date(2025, 1, 14), usuario=usuarios["secretaria"])
    actuacion_registrar(expediente=e, tipo=T.PROVIDENCIA, fecha=date(2025, 1, 12), usuario=usuarios["secretaria"])
    otro = expediente_crear(usuario=usuarios["secretaria"], fecha=date(2025, 1, 11))
    antes = dict(ActuacionPage.objects.values_list("pk", "expediente_id"))
    assert set(antes.values()) == {e.pk}

    anterior = [("expedientes", "0016_informes_documentos_unidad")]
    actual = [("expedientes", "0017_actuacion_expediente")]
    executor = MigrationExecutor(connection)
    executor.migrate(anterior)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(actual)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(ActuacionPage.objects.values_list("pk", "expediente_id")) == antes
    filas = dict(ExpedientePage.objects.values_list("pk", "ultima_actuacion_tipo"))
    assert filas == {e.pk: T.AUTO_DE_PAGO, otro.pk: ""}
