"""The legal calendar: términos (días hábiles) and plazos (months/years) of COA Arts. 158–160,
counted on the seeded national holidays plus the local and decreed days the unit adds.

Every expected date below was worked out by hand on the printed month grids (`cal 2024`,
`cal 2025`, `cal 2026`) and the official holiday dates, never by running the code under test.
"""

from datetime import date

import holidays
import pytest
from django.core.management import call_command
from django.urls import reverse

from expedientes.calendario import dia_habil, plazo_vencimiento, termino_vencimiento
from expedientes.models import DiaEspecial
from expedientes.models.calendario import TipoDiaEspecial
from expedientes.services.calendario import FUENTE_HOLIDAYS, calendario_sembrar

LEY_FERIADOS = "traslado CT art. 65/LOSEP (mar→lun, mié/jue→vie, sáb→vie, dom→lun)"


@pytest.fixture
def calendario(db):
    """National days off 2024–2026 from the seeding, Cuenca's local holiday, and the rows
    the unit adds by hand: two real decreed days and one day explicitly worked."""
    calendario_sembrar(anios=[2024, 2025, 2026], locales=True)
    DiaEspecial.objects.create(
        fecha=date(2024, 10, 31), laborable=False, tipo=TipoDiaEspecial.DECRETADO,
        nombre="Jornada suspendida (recuperable)", fuente="Decreto Ejecutivo N.º 438, 25/10/2024",
    )
    DiaEspecial.objects.create(
        fecha=date(2025, 10, 9), laborable=False, tipo=TipoDiaEspecial.DECRETADO,
        nombre="Jornada suspendida (no recuperable)",
        fuente="Decreto Ejecutivo N.º 172, 02/10/2025",
    )
    DiaEspecial.objects.create(
        fecha=date(2024, 11, 16), laborable=True, tipo=TipoDiaEspecial.AJUSTE,
        nombre="Jornada de recuperación (sábado)",
        fuente="Prueba: recuperación hipotética del 31/10/2024 (Decreto Ejecutivo N.º 459)",
    )


T, P, A = "término", "plazo (meses)", "plazo (años)"

CASOS = [
    # (desde, kind, amount, expected vence, source)
    # --- plain weekdays and weekends
    (date(2025, 3, 10), T, 3, date(2025, 3, 13),
     "calendario 2025: 11–13 mar martes a jueves, sin feriados"),
    (date(2025, 3, 13), T, 3, date(2025, 3, 18),
     "calendario 2025: 15–16 mar sábado/domingo"),
    (date(2025, 3, 14), T, 1, date(2025, 3, 17),
     "calendario 2025: notificado viernes 14, 15–16 mar fin de semana"),
    (date(2025, 3, 15), T, 1, date(2025, 3, 17),
     "calendario 2025: notificado sábado 15; COA art. 158: desde el día hábil siguiente"),
    (date(2025, 6, 2), T, 10, date(2025, 6, 16),
     "calendario 2025: junio sin feriados; 7–8 y 14–15 jun fines de semana"),
    # --- Carnaval (lunes y martes, no se trasladan)
    (date(2025, 2, 28), T, 3, date(2025, 3, 7),
     "holidays 0.109 EC 2025: Carnaval lunes 3 y martes 4 mar; 1–2 mar fin de semana"),
    (date(2025, 3, 2), T, 4, date(2025, 3, 10),
     "holidays 0.109 EC 2025: Carnaval 3–4 mar; 8–9 mar fin de semana"),
    (date(2024, 2, 9), T, 2, date(2024, 2, 15),
     "holidays 0.109 EC 2024: Carnaval lunes 12 y martes 13 feb; 10–11 feb fin de semana"),
    (date(2026, 2, 9), T, 10, date(2026, 2, 25),
     "holidays 0.109 EC 2026: Carnaval 16–17 feb; 14–15 y 21–22 feb fines de semana"),
    (date(2026, 2, 13), T, 1, date(2026, 2, 18),
     "holidays 0.109 EC 2026: Carnaval 16–17 feb; 14–15 feb fin de semana"),
    # --- Viernes Santo
    (date(2024, 3, 27), T, 3, date(2024, 4, 2),
     "holidays 0.109 EC 2024: Viernes Santo 29 mar; 30–31 mar fin de semana"),
    (date(2025, 4, 16), T, 2, date(2025, 4, 21),
     "holidays 0.109 EC 2025: Viernes Santo 18 abr; 19–20 abr fin de semana"),
    (date(2026, 4, 2), T, 1, date(2026, 4, 6),
     "holidays 0.109 EC 2026: Viernes Santo 3 abr; 4–5 abr fin de semana"),
    # --- 1 de enero y 25 de diciembre (no se trasladan entre semana)
    (date(2024, 12, 31), T, 2, date(2025, 1, 3),
     "holidays 0.109 EC 2025: Año Nuevo miércoles 1 ene, sin traslado (excepción CT art. 65)"),
    (date(2025, 12, 31), T, 1, date(2026, 1, 2),
     "holidays 0.109 EC 2026: Año Nuevo jueves 1 ene, sin traslado (excepción CT art. 65)"),
    (date(2024, 12, 24), T, 1, date(2024, 12, 26),
     "holidays 0.109 EC 2024: Navidad miércoles 25 dic, sin traslado"),
    (date(2025, 12, 24), T, 2, date(2025, 12, 29),
     "holidays 0.109 EC 2025: Navidad jueves 25 dic, sin traslado; 27–28 dic fin de semana"),
    (date(2026, 12, 24), T, 1, date(2026, 12, 28),
     "holidays 0.109 EC 2026: Navidad viernes 25 dic; 26–27 dic fin de semana"),
    # --- feriados trasladados: la fecha original entre semana es día hábil
    (date(2024, 4, 30), T, 3, date(2024, 5, 6),
     f"Día del Trabajo 2024: miércoles 1 may → viernes 3 may ({LEY_FERIADOS}; MINTUR "
     "2023–2025); 1 y 2 may cuentan, 4–5 may fin de semana"),
    (date(2025, 4, 30), T, 1, date(2025, 5, 1),
     f"Día del Trabajo 2025: jueves 1 may → viernes 2 may ({LEY_FERIADOS}); el 1 cuenta"),
    (date(2024, 10, 8), T, 3, date(2024, 10, 14),
     f"Independencia de Guayaquil 2024: miércoles 9 oct → viernes 11 oct ({LEY_FERIADOS}); "
     "9 y 10 cuentan, 12–13 oct fin de semana"),
    (date(2025, 5, 22), T, 1, date(2025, 5, 26),
     f"Batalla de Pichincha 2025: sábado 24 may → viernes 23 may ({LEY_FERIADOS})"),
    (date(2026, 5, 22), T, 1, date(2026, 5, 26),
     f"Batalla de Pichincha 2026: domingo 24 may → lunes 25 may ({LEY_FERIADOS})"),
    (date(2024, 8, 8), T, 1, date(2024, 8, 12),
     f"Primer Grito 2024: sábado 10 ago → viernes 9 ago ({LEY_FERIADOS})"),
    (date(2025, 8, 8), T, 1, date(2025, 8, 12),
     f"Primer Grito 2025: domingo 10 ago → lunes 11 ago ({LEY_FERIADOS})"),
    (date(2026, 8, 7), T, 1, date(2026, 8, 11),
     "holidays 0.109 EC 2026: Primer Grito lunes 10 ago, sin traslado"),
    (date(2025, 10, 31), T, 2, date(2025, 11, 6),
     "holidays 0.109 EC 2025 (MINTUR 2023–2025): Cuenca lunes 3 nov, Difuntos domingo 2 → "
     "martes 4 nov; 1–2 nov fin de semana"),
    (date(2026, 10, 30), T, 1, date(2026, 11, 4),
     "holidays 0.109 EC 2026: Difuntos lunes 2 y Cuenca martes 3 nov; "
     "31 oct–1 nov fin de semana"),
    # --- días decretados y días marcados laborables
    (date(2024, 10, 30), T, 3, date(2024, 11, 7),
     "Decreto Ejecutivo N.º 438 (jueves 31 oct 2024) + Difuntos sáb 2 → vie 1 nov y Cuenca "
     "dom 3 → lun 4 nov (holidays 0.109 EC 2024)"),
    (date(2025, 10, 8), T, 1, date(2025, 10, 13),
     "Decreto Ejecutivo N.º 172 (jueves 9 oct 2025) + Guayaquil jue 9 → vie 10 oct (ley)"),
    (date(2024, 11, 15), T, 1, date(2024, 11, 16),
     "fila de prueba: sábado 16 nov 2024 marcado laborable (recuperación hipotética)"),
    # --- feriado local: Fundación de Cuenca, 12 de abril
    (date(2024, 4, 11), T, 1, date(2024, 4, 15),
     "local: Fundación de Cuenca 2024, viernes 12 abr (sin traslado); 13–14 abr fin de semana"),
    (date(2025, 4, 10), T, 1, date(2025, 4, 14),
     "local: Fundación de Cuenca 2025, sábado 12 abr → viernes 11 abr (misma regla)"),
    (date(2026, 4, 10), T, 1, date(2026, 4, 14),
     "local: Fundación de Cuenca 2026, domingo 12 abr → lunes 13 abr (misma regla)"),
    # --- plazos de fecha a fecha (COA art. 160), fin de mes y prórroga
    (date(2025, 1, 31), P, 1, date(2025, 2, 28),
     "COA art. 160: no hay 31 en febrero 2025 → viernes 28 feb, hábil"),
    (date(2024, 12, 31), P, 2, date(2025, 2, 28),
     "COA art. 160: no hay 31 en febrero 2025 → viernes 28 feb, hábil"),
    (date(2024, 1, 31), P, 1, date(2024, 2, 29),
     "COA art. 160: 2024 bisiesto → jueves 29 feb, hábil"),
    (date(2024, 2, 29), A, 1, date(2025, 2, 28),
     "COA art. 160: no hay 29 en febrero 2025 → viernes 28 feb, hábil"),
    (date(2025, 8, 31), P, 1, date(2025, 9, 30),
     "COA art. 160: no hay 31 en septiembre → martes 30 sep, hábil"),
    (date(2025, 3, 31), P, 2, date(2025, 6, 2),
     "31 may 2025 es sábado → prórroga: 1 jun domingo → lunes 2 jun"),
    (date(2025, 1, 15), P, 2, date(2025, 3, 17),
     "15 mar 2025 es sábado → prórroga al lunes 17"),
    (date(2025, 12, 31), P, 2, date(2026, 3, 2),
     "no hay 31 en febrero 2026 → sábado 28 feb → prórroga: domingo 1 mar → lunes 2 mar"),
    (date(2025, 1, 3), P, 2, date(2025, 3, 5),
     "3 mar 2025 lunes de Carnaval, 4 mar martes de Carnaval → miércoles 5"),
    (date(2024, 4, 18), A, 1, date(2025, 4, 21),
     "18 abr 2025 Viernes Santo; 19–20 abr fin de semana → lunes 21"),
    (date(2025, 7, 10), P, 1, date(2025, 8, 12),
     "10 ago 2025 domingo; 11 ago Primer Grito trasladado → martes 12"),
    (date(2024, 9, 9), P, 1, date(2024, 10, 9),
     "9 oct 2024 miércoles: fecha original de un feriado trasladado al 11, día hábil"),
    (date(2025, 3, 11), P, 1, date(2025, 4, 14),
     "11 abr 2025 Fundación de Cuenca trasladada (local); 12–13 abr fin de semana → lunes 14"),
    (date(2025, 9, 9), P, 1, date(2025, 10, 13),
     "9 oct 2025 Decreto Ejecutivo N.º 172; 10 oct Guayaquil trasladado; 11–12 fin de semana"),
]


def _vencimiento(desde, tipo, cantidad):
    if tipo == T:
        return termino_vencimiento(desde=desde, dias=cantidad)
    if tipo == P:
        return plazo_vencimiento(desde=desde, meses=cantidad)
    return plazo_vencimiento(desde=desde, anios=cantidad)


@pytest.mark.parametrize(
    "desde, tipo, cantidad, esperado, fuente", CASOS,
    ids=[f"{c[0]:%Y%m%d}+{c[2]}{ {T: 'd', P: 'm', A: 'a'}[c[1]] }" for c in CASOS],
)
def test_vencimientos(calendario, desde, tipo, cantidad, esperado, fuente):
    computo = _vencimiento(desde, tipo, cantidad)
    assert computo.vence == esperado, f"{computo.explicacion} — esperado según: {fuente}"


def test_la_tabla_cubre_lo_pedido():
    assert len(CASOS) >= 30
    assert sum(1 for c in CASOS if c[1] == T) >= 20
    assert sum(1 for c in CASOS if c[1] != T) >= 10


def test_un_termino_cuenta_dias_habiles_y_dice_cuales_excluyo(calendario):
    computo = termino_vencimiento(desde=date(2025, 3, 2), dias=4)
    assert computo.contados == [date(2025, 3, d) for d in (5, 6, 7, 10)]
    assert computo.excluidos == [
        (date(2025, 3, 3), "Carnaval"), (date(2025, 3, 4), "Carnaval"),
        (date(2025, 3, 8), "sábado"), (date(2025, 3, 9), "domingo"),
    ]


def test_un_computo_lee_el_calendario_una_vez(calendario, django_assert_num_queries):
    with django_assert_num_queries(1):
        termino_vencimiento(desde=date(2026, 2, 9), dias=10)
    with django_assert_num_queries(1):
        plazo_vencimiento(desde=date(2025, 12, 31), meses=2)


def test_cantidades_invalidas(db):
    with pytest.raises(ValueError):
        termino_vencimiento(desde=date(2025, 3, 10), dias=0)
    with pytest.raises(ValueError):
        plazo_vencimiento(desde=date(2025, 3, 10))


def test_sin_prorroga_el_plazo_vence_en_el_dia_nominal(calendario):
    computo = plazo_vencimiento(desde=date(2025, 1, 15), meses=2, prorrogar=False)
    assert computo.vence == date(2025, 3, 15)


# --- explanations -----------------------------------------------------------------------

@pytest.mark.parametrize("computo, texto", [
    (lambda: termino_vencimiento(desde=date(2025, 3, 13), dias=3, evento="la citación"),
     "3 días hábiles desde la citación del 13/03/2025: vence el 18/03/2025; "
     "excluidos sábado 15 y domingo 16"),
    (lambda: termino_vencimiento(desde=date(2025, 3, 2), dias=4),
     "4 días hábiles desde la notificación del 02/03/2025: vence el 10/03/2025; "
     "excluidos lunes 3 (Carnaval), martes 4 (Carnaval), sábado 8 y domingo 9"),
    (lambda: termino_vencimiento(desde=date(2025, 3, 10), dias=1),
     "1 día hábil desde la notificación del 10/03/2025: vence el 11/03/2025"),
    (lambda: plazo_vencimiento(desde=date(2024, 12, 31), meses=2),
     "2 meses desde la notificación del 31/12/2024: vence el 28/02/2025 "
     "(no hay 31 en febrero: último día del mes)"),
    (lambda: plazo_vencimiento(desde=date(2025, 1, 15), meses=2, evento="la resolución"),
     "2 meses desde la resolución del 15/01/2025: vence el 17/03/2025 "
     "(el 15/03/2025 no es hábil: se prorroga al primer día hábil siguiente); "
     "excluidos sábado 15 y domingo 16"),
    (lambda: plazo_vencimiento(desde=date(2025, 12, 31), meses=2),
     "2 meses desde la notificación del 31/12/2025: vence el 02/03/2026 "
     "(no hay 31 en febrero: último día del mes, el 28/02/2026, que no es hábil: se prorroga "
     "al primer día hábil siguiente); excluidos sábado 28 de febrero y domingo 1 de marzo"),
    (lambda: plazo_vencimiento(desde=date(2024, 5, 15), anios=1, meses=6),
     "1 año y 6 meses desde la notificación del 15/05/2024: vence el 17/11/2025 "
     "(el 15/11/2025 no es hábil: se prorroga al primer día hábil siguiente); "
     "excluidos sábado 15 y domingo 16"),
])
def test_explicacion(calendario, computo, texto):
    assert computo().explicacion == texto


# --- seeding ----------------------------------------------------------------------------

def test_el_paquete_holidays_marca_tambien_la_fecha_original():
    """The trap: with observed=True the package lists both dates of a moved holiday."""
    ec = holidays.country_holidays("EC", years=2025, observed=True)
    assert date(2025, 5, 1) in ec and date(2025, 5, 2) in ec


def test_la_siembra_deja_habil_la_fecha_original_de_un_feriado_trasladado(db):
    resultado = calendario_sembrar(anios=[2024, 2025])
    for original, trasladado in [
        (date(2024, 5, 1), date(2024, 5, 3)), (date(2024, 10, 9), date(2024, 10, 11)),
        (date(2025, 5, 1), date(2025, 5, 2)), (date(2025, 10, 9), date(2025, 10, 10)),
    ]:
        assert not DiaEspecial.objects.filter(fecha=original).exists()
        assert dia_habil(original)
        assert not dia_habil(trasladado)
        assert original in {fecha for fecha, _, _ in resultado.omitidos}
    trasladado = DiaEspecial.objects.get(fecha=date(2025, 5, 2))
    assert trasladado.nombre == "Día del Trabajo (trasladado)"
    assert trasladado.tipo == TipoDiaEspecial.NACIONAL
    assert trasladado.fuente == FUENTE_HOLIDAYS == "holidays 0.109"
    assert not trasladado.laborable


def test_la_siembra_de_2025_son_los_once_dias_descansados(db):
    calendario_sembrar(anios=[2025])
    assert sorted(DiaEspecial.objects.values_list("fecha", flat=True)) == [
        date(2025, 1, 1), date(2025, 3, 3), date(2025, 3, 4), date(2025, 4, 18),
        date(2025, 5, 2), date(2025, 5, 23), date(2025, 8, 11), date(2025, 10, 10),
        date(2025, 11, 3), date(2025, 11, 4), date(2025, 12, 25),
    ]


def test_sembrar_dos_veces_no_agrega_nada(db):
    primera = calendario_sembrar(anios=[2025], locales=True)
    total = DiaEspecial.objects.count()
    segunda = calendario_sembrar(anios=[2025], locales=True)
    assert len(primera.agregados) == total == 12
    assert segunda.agregados == []
    assert DiaEspecial.objects.count() == total
    assert sum(1 for _, _, motivo in segunda.omitidos if motivo.startswith("ya registrado")) == 12


def test_una_entrada_manual_no_se_sobrescribe(db):
    manual = DiaEspecial.objects.create(
        fecha=date(2025, 3, 3), laborable=True, tipo=TipoDiaEspecial.AJUSTE,
        nombre="Atención al público", fuente="Resolución de prueba",
    )
    calendario_sembrar(anios=[2025])
    manual.refresh_from_db()
    assert (manual.laborable, manual.nombre, manual.fuente) == (
        True, "Atención al público", "Resolución de prueba")
    assert DiaEspecial.objects.filter(fecha=date(2025, 3, 3)).count() == 1
    assert dia_habil(date(2025, 3, 3))
    assert not dia_habil(date(2025, 3, 4))


def test_cuenca_solo_si_se_pide(db):
    calendario_sembrar(anios=[2025, 2026])
    assert not DiaEspecial.objects.filter(tipo=TipoDiaEspecial.LOCAL).exists()
    calendario_sembrar(anios=[2024, 2025, 2026], locales=True)
    locales = {d.fecha: d for d in DiaEspecial.objects.filter(tipo=TipoDiaEspecial.LOCAL)}
    assert sorted(locales) == [date(2024, 4, 12), date(2025, 4, 11), date(2026, 4, 13)]
    assert locales[date(2024, 4, 12)].nombre == "Fundación de Cuenca"
    assert locales[date(2025, 4, 11)].nombre == "Fundación de Cuenca (trasladado)"
    assert "art. 65" in locales[date(2025, 4, 11)].fuente


def test_el_comando_informa_en_espanol(db, capsys):
    call_command("calendario_sembrar", "--desde", "2025", "--hasta", "2025", "--cuenca")
    salida = capsys.readouterr().out
    assert "Agregados: 12" in salida
    assert "11/04/2025 viernes   Fundación de Cuenca (trasladado) [Feriado local]" in salida
    assert ("01/05/2025 jueves    Día del Trabajo: fecha original de un feriado trasladado"
            in salida)
    call_command("calendario_sembrar", "--desde", "2025", "--hasta", "2025")
    assert "Agregados: 0" in capsys.readouterr().out


# --- admin --------------------------------------------------------------------------------

@pytest.mark.servicios
def test_el_jefe_ve_el_calendario_en_el_administrador(client, usuarios):
    calendario_sembrar(anios=[2025])
    client.force_login(usuarios["jefe"])
    respuesta = client.get(reverse("wagtailsnippets_expedientes_diaespecial:list"))
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert "Días especiales" in html
    assert "Carnaval" in html
    assert client.get(reverse("wagtailsnippets_expedientes_diaespecial:add")).status_code == 200
    filtrado = client.get(reverse("wagtailsnippets_expedientes_diaespecial:list"),
                          {"anio": "2025", "tipo": "nacional", "laborable": "0"})
    assert filtrado.status_code == 200
    assert "Carnaval" in filtrado.content.decode()


@pytest.mark.servicios
def test_el_jefe_agrega_un_dia_decretado(client, usuarios):
    client.force_login(usuarios["jefe"])
    respuesta = client.post(reverse("wagtailsnippets_expedientes_diaespecial:add"), {
        "fecha": "09/10/2025", "tipo": "decretado", "nombre": "Jornada suspendida",
        "fuente": "Decreto Ejecutivo N.º 172, 02/10/2025",
    })
    assert respuesta.status_code == 302
    dia = DiaEspecial.objects.get(fecha=date(2025, 10, 9))
    assert (dia.laborable, dia.creado_por) == (False, usuarios["jefe"])
    assert not dia_habil(date(2025, 10, 9))


@pytest.mark.servicios
def test_el_abogado_consulta_pero_no_agrega_dias(client, usuarios):
    client.force_login(usuarios["abogado"])
    assert client.get(reverse("wagtailsnippets_expedientes_diaespecial:list")).status_code == 200
    url = reverse("wagtailsnippets_expedientes_diaespecial:add")
    assert client.get(url).status_code in (302, 403)
    client.post(url, {"fecha": "09/10/2025", "laborable": "", "tipo": "decretado",
                      "nombre": "Día decretado", "fuente": "Decreto Ejecutivo N.º 172"})
    assert not DiaEspecial.objects.filter(nombre="Día decretado").exists()


@pytest.mark.servicios
@pytest.mark.parametrize("quien", ["archivista", "asesoria", "sin_rol"])
def test_otros_roles_no_ven_el_calendario(client, usuarios, quien):
    client.force_login(usuarios[quien])
    respuesta = client.get(reverse("wagtailsnippets_expedientes_diaespecial:list"))
    assert respuesta.status_code in (302, 403)
