"""The reports' one screen, drill-down, exports and issuing, with a test product registered for
the occasion (any Resultado built to base.py must work): through the real services, the real
store and clamd, as every role."""

import io
import json
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from expedientes.estados import Estado
from expedientes.informes import base
from expedientes.informes.base import Cifra, Columna, Detalle, Formato, Informe, Resultado, Seccion
from expedientes.informes.forms import ParametrosForm
from expedientes.models import DocumentoUnidad, InformeEmitido, Provincia
from permisos.models import RegistroCustodia
from tests.factories import expediente_crear
from tests.portal.conftest import navegador  # noqa: F401  (the browser of the screenshot)
from tests.portal.test_recorridos import recorrido  # noqa: F401

pytestmark = pytest.mark.servicios

MARZO = "periodo=mes&anio=2025&mes=3"


class Prueba(Informe):
    clave = "prueba"
    numero = 99
    titulo = "Informe de prueba"
    descripcion = "Procesos iniciados en el período, por provincia."

    def calcular(self, parametros, expedientes) -> Resultado:
        p = parametros.periodo
        iniciados = expedientes.filter(fecha_recepcion__range=(p.desde, p.hasta))
        azuay = iniciados.filter(provincia="01")
        monto = iniciados.aggregate(s=Sum("monto_titulo"))["s"] or Decimal("0")
        cifras = [Cifra("iniciados", "Procesos iniciados", iniciados.count(), expedientes=iniciados),
                  Cifra("monto", "Monto de los títulos", monto, Formato.USD, expedientes=iniciados),
                  Cifra("costo", "Costo de publicaciones", Decimal("12.50"), Formato.USD)]
        seccion = Seccion("provincias", "Por provincia",
                          [Columna("provincia", "Provincia", opciones=dict(Provincia.choices)),
                           Columna("procesos", "Procesos", Formato.ENTERO)],
                          [["01", Cifra("iniciados_01", "Azuay", azuay.count(), expedientes=azuay)]])
        detalle = Detalle(
            [Columna("numero", "Número"), Columna("coactivado", "Coactivado"),
             Columna("recepcion", "Recepción", Formato.FECHA), Columna("monto", "Monto", Formato.USD),
             Columna("estado", "Estado", opciones=dict(Estado.choices))],
            iniciados.order_by("numero").values_list("numero", "coactivado__nombre", "fecha_recepcion",
                                                     "monto_titulo", "estado"))
        return Resultado(self, parametros, cifras=cifras, secciones=[seccion], detalle=detalle,
                         notas=["Un proceso puede estar en más de una provincia: no."])


@pytest.fixture
def prueba():
    base.informes()  # the real products first (their import registers them)
    base.INFORMES["prueba"] = Prueba()
    yield base.INFORMES["prueba"]
    base.INFORMES.pop("prueba", None)


@pytest.fixture
def datos(usuarios, expediente):
    """Three processes received in March 2025 (one assigned to the abogado), one in April."""
    otros = [expediente_crear(usuario=usuarios["secretaria"], nombre="AJENO AZUAY S.A.", monto=Decimal("100.00")),
             expediente_crear(usuario=usuarios["secretaria"], nombre="AJENO CAÑAR S.A.", provincia="03",
                              monto=Decimal("200.00")),
             expediente_crear(usuario=usuarios["secretaria"], nombre="DE ABRIL S.A.", fecha=date(2025, 4, 2))]
    return expediente, otros


def _url(nombre, *args, consulta=MARZO):
    return f"{reverse(nombre, args=args)}?{consulta}"


def test_pantalla_segun_quien_la_ve(client, usuarios, prueba, datos):
    propio, (ajeno, canar, abril) = datos
    client.force_login(usuarios["jefe"])
    respuesta = client.get(_url("informes_informe", "prueba"))
    assert respuesta.status_code == 200
    resultado = respuesta.context["resultado"]
    assert resultado.cifra("iniciados").valor == 3 and resultado.cifra("monto").valor == Decimal("1534.56")
    html = respuesta.content.decode()
    assert "USD 1.534,56" in html and "AJENO CAÑAR S.A." in html and "DE ABRIL" not in html
    assert _url("informes_cifra", "prueba", "iniciados_01") .replace("&", "&amp;") in html  # a section cell, linked

    client.force_login(usuarios["abogado"])
    respuesta = client.get(_url("informes_informe", "prueba"))
    assert respuesta.context["resultado"].cifra("iniciados").valor == 1
    html = respuesta.content.decode()
    assert propio.numero in html and "AJENO" not in html and ajeno.numero not in html
    assert "Emitir" not in html  # an abogado does not issue

    for quien in ("archivista", "asesoria", "administrador"):
        client.force_login(usuarios[quien])
        assert client.get(_url("informes_informe", "prueba")).status_code == 404
        assert client.get(reverse("informes_indice")).status_code == 404
    client.force_login(usuarios["jefe"])
    assert client.get(_url("informes_informe", "no-existe")).status_code == 404


def test_por_defecto_el_mes_en_curso_y_a_fecha_solo_el_corte(client, usuarios, prueba):
    client.force_login(usuarios["jefe"])
    respuesta = client.get(reverse("informes_informe", args=["prueba"]))
    hoy = date.today()
    assert respuesta.context["resultado"].parametros.periodo.desde == date(hoy.year, hoy.month, 1)
    form = ParametrosForm.de_consulta({"hasta": "31/03/2025", "provincia": "03"}, a_fecha=True)
    assert form.is_valid(), form.errors
    assert (form.parametros.corte, form.parametros.provincia) == (date(2025, 3, 31), "03")
    assert [f.label for f in form.visible_fields()] == ["Fecha de corte", "Provincia"]


def test_indice_y_menu(client, usuarios, prueba):
    from wagtail import hooks
    from wagtail.admin.menu import MenuItem

    def otro():
        return MenuItem("Informe de gestión", "/admin/informes/gestion/", name="gestion")

    with hooks.register_temporarily("register_informes_menu_item", otro), \
            hooks.register_temporarily("register_informes_menu_item", lambda: None):
        client.force_login(usuarios["jefe"])
        html = client.get(reverse("informes_indice")).content.decode()
        assert "Informe de prueba" in html and "Informes emitidos" in html and "Informe de gestión" in html
        assert html.index("1. Matriz de procesos coactivos") < html.index("Informe de prueba")
        menu = _menu(client.get(reverse("wagtailadmin_home")).content.decode())
        assert "Informes emitidos" in menu and "Informe de gestión" in menu  # the submenu, ours first
        assert menu.index("99. Informe de prueba") < menu.index("Informes emitidos") < menu.index("Informe de gestión")
        client.force_login(usuarios["abogado"])  # sees the reports, not the issued ones
        menu = _menu(client.get(reverse("wagtailadmin_home")).content.decode())
        assert "Informe de prueba" in menu and "Informes emitidos" not in menu
        client.force_login(usuarios["archivista"])
        assert "Informe de prueba" not in _menu(client.get(reverse("wagtailadmin_home")).content.decode())


def _menu(html: str) -> str:
    """The admin sidebar's props, as Wagtail renders them (tests/expedientes/test_navegacion.py)."""
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    return json.dumps(json.loads(props), ensure_ascii=False)


def test_la_cifra_lleva_a_sus_expedientes(client, usuarios, prueba, datos):
    propio, (ajeno, canar, _abril) = datos
    client.force_login(usuarios["jefe"])
    respuesta = client.get(_url("informes_cifra", "prueba", "iniciados"))
    assert respuesta.status_code == 200 and respuesta.context["pagina"].paginator.count == 3
    respuesta = client.get(_url("informes_cifra", "prueba", "iniciados_01"))
    assert respuesta.context["pagina"].paginator.count == 2
    html = respuesta.content.decode()
    assert reverse("expedientes_proceso", args=[ajeno.pk]) in html and canar.numero not in html
    assert client.get(_url("informes_cifra", "prueba", "no_existe")).status_code == 404
    assert client.get(_url("informes_cifra", "prueba", "costo")).status_code == 404  # not about expedientes

    client.force_login(usuarios["abogado"])
    respuesta = client.get(_url("informes_cifra", "prueba", "iniciados"))
    assert respuesta.context["pagina"].paginator.count == 1
    assert propio.numero in respuesta.content.decode() and ajeno.numero not in respuesta.content.decode()


def _descargar(respuesta) -> bytes:
    return b"".join(respuesta.streaming_content)


def test_xlsx_tipado_con_resumen_y_detalle(client, usuarios, prueba, datos):
    propio, _ = datos
    client.force_login(usuarios["jefe"])
    respuesta = client.get(_url("informes_exportar", "prueba", "xlsx"))
    assert respuesta.status_code == 200
    libro = load_workbook(io.BytesIO(_descargar(respuesta)))
    assert libro.sheetnames == ["Resumen", "Detalle"]
    resumen = [list(fila) for fila in libro["Resumen"].iter_rows(values_only=True)]
    assert resumen[0][0].startswith("Ministerio del Trabajo — Dirección Regional de Trabajo")
    assert ["Período", "marzo de 2025"] == list(resumen[2][:2]) and resumen[3][:2] == ["Provincia", "Todas"]
    assert re.match(r"Generado el \d\d/\d\d/\d{4} \d\d:\d\d por ", resumen[4][0])
    valores = {fila[0]: fila[1] for fila in resumen if fila and len(fila) > 1}
    assert valores["Procesos iniciados"] == 3 and valores["Monto de los títulos"] == pytest.approx(1534.56)
    assert valores["Azuay"] == 2  # the section, its province shown by its label
    detalle = libro["Detalle"]
    filas = list(detalle.iter_rows(values_only=True))
    assert filas[0] == ("Número", "Coactivado", "Recepción", "Monto", "Estado") and len(filas) == 4
    fila = next(f for f in filas if f[0] == propio.numero)
    assert fila[2] == datetime(2025, 3, 13) and fila[3] == pytest.approx(1234.56) and fila[4] == "Iniciado"
    assert detalle["C2"].number_format == "dd/mm/yyyy" and detalle["D2"].number_format == "#,##0.00"
    registro = RegistroCustodia.objects.filter(accion=RegistroCustodia.Accion.EXPORTACION).latest("secuencia")
    assert registro.sha256 == respuesta["X-Content-SHA256"] and registro.datos["informe"] == "prueba"


def test_pdf_con_cifras_y_paginas(client, usuarios, prueba, datos):
    client.force_login(usuarios["abogado"])
    respuesta = client.get(_url("informes_exportar", "prueba", "pdf"))
    assert respuesta.status_code == 200 and respuesta["Content-Type"] == "application/pdf"
    texto = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(_descargar(respuesta))).pages)
    assert "Procesos iniciados" in texto and "USD 1.234,56" in texto and "Página 1 de" in texto
    assert "AJENO" not in texto and "JUZGADO DE COACTIVAS" in texto and "Generado el" in texto
    assert client.get(_url("informes_exportar", "prueba", "csv")).status_code == 404


def test_emitir_desde_la_pantalla(client, usuarios, prueba, datos, versiones_en_bucket):
    client.force_login(usuarios["jefe"])
    respuesta = client.post(_url("informes_emitir", "prueba"))
    primera = InformeEmitido.objects.get()
    assert respuesta.status_code == 302 and respuesta["Location"] == reverse("informes_emitido", args=[primera.pk])
    assert primera.version == 1 and primera.cifras["iniciados"] == "3" and primera.xlsx is not None
    assert {(primera.pdf.clave, primera.pdf.version_s3), (primera.xlsx.clave, primera.xlsx.version_s3)} <= versiones_en_bucket()
    assert primera.titulo == "Informe de prueba — marzo de 2025"

    respuesta = client.post(_url("informes_emitir", "prueba"))
    assert InformeEmitido.objects.count() == 1
    assert any("por qué" in str(m) for m in get_messages(respuesta.wsgi_request))
    pantalla = client.get(_url("informes_informe", "prueba")).content.decode()
    assert 'name="motivo"' in pantalla and "versión 1" in pantalla
    client.post(_url("informes_emitir", "prueba"), {"motivo": "Se registró un pago tarde"})
    segunda = InformeEmitido.objects.get(version=2)
    assert segunda.motivo == "Se registró un pago tarde" and segunda.pdf.sha256 != primera.pdf.sha256

    client.force_login(usuarios["abogado"])
    assert client.post(_url("informes_emitir", "prueba")).status_code == 404
    assert InformeEmitido.objects.count() == 2


def test_emitidos_y_descarga_segun_quien(client, usuarios, prueba, datos):
    client.force_login(usuarios["jefe"])
    client.post(_url("informes_emitir", "prueba"))
    emitido = InformeEmitido.objects.get()
    for quien in ("jefe", "auditor"):
        client.force_login(usuarios[quien])
        listado = client.get(reverse("informes_emitidos") + "?informe=prueba&anio=2025")
        assert listado.status_code == 200 and emitido.titulo in listado.content.decode()
        detalle = client.get(reverse("informes_emitido", args=[emitido.pk])).content.decode()
        assert emitido.pdf.sha256 in detalle and emitido.xlsx.sha256 in detalle
        # the figures as the document wrote them, with their labels
        assert ["iniciados", "Procesos iniciados", "3"] in emitido.presentacion and "Procesos iniciados" in detalle
        descarga = client.get(reverse("informes_documento", args=[emitido.pdf.uuid]))
        assert descarga.status_code == 200 and descarga["X-Content-Type-Options"] == "nosniff"
        import hashlib
        assert hashlib.sha256(_descargar(descarga)).hexdigest() == emitido.pdf.sha256
    vacio = client.get(reverse("informes_emitidos") + "?anio=2019").content.decode()
    assert "Ningún informe emitido coincide" in vacio
    assert RegistroCustodia.objects.filter(accion=RegistroCustodia.Accion.DESCARGA).count() == 2

    client.force_login(usuarios["abogado"])
    assert client.get(reverse("informes_emitidos")).status_code == 404
    assert client.get(reverse("informes_emitido", args=[emitido.pk])).status_code == 404
    assert client.get(reverse("informes_documento", args=[emitido.pdf.uuid])).status_code == 404
    client.force_login(usuarios["secretaria"])  # issues reports, but an imported matrix needs its own permission
    assert client.get(reverse("informes_documento", args=[emitido.xlsx.uuid])).status_code == 200
    DocumentoUnidad.objects.filter(pk=emitido.xlsx.pk).update(tipo="matriz_importada")
    client.force_login(usuarios["auditor"])
    assert client.get(reverse("informes_documento", args=[emitido.xlsx.uuid])).status_code == 404


@pytest.mark.parametrize("consulta, mensaje", [
    ("periodo=mes&anio=2025&mes=13", "Elija un mes entre enero (1) y diciembre (12)."),
    ("periodo=rango&desde=31/03/2025&hasta=01/03/2025", "es anterior a la inicial"),
    ("periodo=rango&desde=31/02/2025&hasta=31/03/2025", "Escriba una fecha válida así"),
    ("periodo=mes&anio=2025&mes=3&provincia=ZZ", "Elija una provincia de la lista."),
    ("periodo=anio&anio=dosmil", "Escriba el año con cuatro cifras"),
    ("periodo=semana", "Elija el período"),
])
def test_parametros_malos_dan_mensajes_en_espanol(client, usuarios, prueba, consulta, mensaje):
    client.force_login(usuarios["jefe"])
    respuesta = client.get(_url("informes_informe", "prueba", consulta=consulta))
    assert respuesta.status_code == 200 and respuesta.context["resultado"] is None
    assert mensaje in respuesta.content.decode()
    exportar = client.get(_url("informes_exportar", "prueba", "xlsx", consulta=consulta))
    assert exportar.status_code == 302  # back to the screen, which says what is wrong


@pytest.mark.navegador
# a live server flushes the database after the test: the serialized copy brings back the tree
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_captura_de_la_pantalla_de_un_informe(recorrido, usuarios, prueba, datos):  # noqa: F811
    """var/capturas/informes/: the report's screen as the jefe sees it, in headless Chromium."""
    for n in range(4):
        expediente_crear(usuario=usuarios["secretaria"], nombre=f"COMERCIAL DEL AUSTRO {n} CIA. LTDA.",
                         provincia="01" if n % 2 else "14", fecha=date(2025, 3, 3 + n), monto=Decimal(f"{n + 1}50.75"))
    r = recorrido("informes", alto=1400)
    r.entrar("jefe")
    r.pagina.goto(f"{r.url}{_url('informes_informe', 'prueba')}")
    assert "Procesos iniciados" in r.contenido()
    r.captura("informe-de-prueba-marzo-2025")
    r.clic(r.pagina.locator("main .cifras a").first)
    r.pagina.wait_for_load_state()
    assert "7 expedientes" in r.contenido()
    r.captura("cifra-procesos-iniciados")
    r.terminar()


def test_pdf_remite_al_xlsx_pasado_el_limite(client, usuarios, prueba, datos, monkeypatch):
    from expedientes.informes import exportar

    monkeypatch.setattr(exportar, "DETALLE_PDF", 2)
    client.force_login(usuarios["jefe"])
    respuesta = client.get(_url("informes_exportar", "prueba", "pdf"))
    texto = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(_descargar(respuesta))).pages)
    assert "El detalle completo (3 filas) está en el XLSX" in " ".join(texto.split())
    assert "AJENO CAÑAR" not in texto  # the third row by number: beyond the limit
