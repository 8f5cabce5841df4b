"""The annual management report: its files carry the figures and the partition adds up
(a CifrasGestion built by hand), the figures come from the records through the products
(a small dataset through the real services), and issuing goes through the real store."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from expedientes.informes.gestion import (
    CifrasGestion,
    LineaCifra,
    Particion,
    SeccionProducto,
    gestion_cifras,
    gestion_docx,
    gestion_emitir,
    gestion_pdf,
)
from expedientes.models import InformeEmitido, OrigenPago, TipoDocumentoUnidad
from expedientes.services.cuenta import cuenta_liquidar, pago_registrar
from tests.factories import expediente_crear

D = Decimal


def _a_mano() -> CifrasGestion:
    particion = Particion(pagados=12, pagados_cobrado=D("140714.68") - D("40000.00"), parciales=62,
                          parciales_cobrado=D("40000.00"), parciales_pendiente=D("100000.00"), sin_cobro=61,
                          sin_cobro_pendiente=D("24562.22"))
    return CifrasGestion(
        anio=2025, iniciados=135, provincias=[("01", "Azuay", 108), ("03", "Cañar", 23), ("14", "Morona Santiago", 4)],
        servicio_dias=10, servicio_total=135, servicio_a_tiempo=132, servicio_tarde=1, servicio_sin_citar=2,
        particion=particion, recaudado_procesos_anio=D("140714.68"), recaudado_anio=D("352360.97"),
        procesos_con_cobro_anio=190, pendientes=806, pendiente_total=D("1234567.89"),
        productos=[SeccionProducto("autos", 3, "Autos emitidos", False,
                                   [LineaCifra("autos_pago", "Autos de pago", "entero", 525, 135)])],
    )


def test_la_particion_suma_y_explica_la_superposicion():
    p = _a_mano().particion
    assert p.total == 135 and p.con_recaudacion == 74 and p.por_recaudar == 123
    assert p.cobrado == D("140714.68") and p.pendiente == D("124562.22")
    texto = p.explicacion()
    assert "se superponen en los 62 procesos" in texto and "12 + 62 + 61 = 135" in texto


def _textos_docx(datos: bytes) -> str:
    documento = Document(io.BytesIO(datos))
    partes = [p.text for p in documento.paragraphs]
    partes += [celda.text for tabla in documento.tables for fila in tabla.rows for celda in fila.cells]
    return "\n".join(partes)


@pytest.mark.parametrize("formato", ["docx", "pdf"])
def test_los_archivos_llevan_las_cifras(formato):
    cifras = _a_mano()
    if formato == "docx":
        texto = _textos_docx(gestion_docx(cifras))
    else:
        lector = PdfReader(io.BytesIO(gestion_pdf(cifras)))
        texto = "\n".join(pagina.extract_text() for pagina in lector.pages)
        assert f"Página 1 de {len(lector.pages)}" in texto
    texto = " ".join(texto.split())
    for esperado in ("Informe de gestión 2025", "MINISTERIO DEL TRABAJO", "Azuay", "108", "Cañar", "23",
                     "Morona Santiago", "USD 140.714,68", "USD 124.562,22", "USD 352.360,97", "806",
                     "132 de 133 citados", "se superponen en los 62 procesos", "12 + 62 + 61 = 135",
                     "108 + 23 + 4 = 135", "concilian", "Autos de pago", "525", "Jefe de Coactivas"):
        assert esperado in texto, esperado


# --- through the real services (the products are read, not recomputed: see the report) -------

@pytest.mark.servicios
def test_cifras_de_un_juego_pequeno(usuarios, tasa):
    secretaria, jefe = usuarios["secretaria"], usuarios["jefe"]

    def abrir(provincia, fecha, monto):
        return expediente_crear(usuario=secretaria, provincia=provincia, fecha=fecha, monto=D(monto))

    # 2024: two in Azuay, one paid in 2025 (counted in the collection of all years, not in 2025's)
    viejo = abrir("01", date(2024, 5, 6), "500.00")
    abrir("01", date(2024, 7, 8), "800.00")
    # 2025: three in Azuay, two in Cañar
    total = abrir("01", date(2025, 2, 3), "1000.00")
    parcial = abrir("01", date(2025, 3, 3), "2000.00")
    abrir("01", date(2025, 4, 7), "300.00")
    parcial_canar = abrir("03", date(2025, 5, 5), "700.00")
    abrir("03", date(2025, 6, 2), "450.00")
    pago_total = cuenta_liquidar(total, date(2025, 4, 1)).saldo
    pagos = [(total, date(2025, 4, 1), pago_total), (parcial, date(2025, 5, 2), D("600.00")),
             (parcial_canar, date(2025, 7, 1), D("100.00")), (viejo, date(2025, 8, 4), D("200.00"))]
    for n, (expediente, fecha, monto) in enumerate(pagos, start=1):
        pago_registrar(expediente=expediente, fecha=fecha, monto=monto, origen=OrigenPago.VOLUNTARIO,
                       recibo=f"CI-T-{n}", usuario=secretaria)

    cifras = gestion_cifras(2025, jefe)
    assert cifras.iniciados == 5
    assert [(codigo, n) for codigo, _, n in cifras.provincias] == [("01", 3), ("03", 2)]
    p = cifras.particion
    assert (p.pagados, p.parciales, p.sin_cobro) == (1, 2, 2)
    assert p.pagados_cobrado == pago_total and p.parciales_cobrado == D("700.00")
    assert cifras.recaudado_procesos_anio == pago_total + D("700.00")
    assert cifras.recaudado_anio == pago_total + D("900.00")  # the 2024 process's payment too
    assert cifras.procesos_con_cobro_anio == 4
    # pending at 31/12/2025, all years: everything but the one paid in full
    assert cifras.pendientes == 6
    assert p.pendiente >= D("2750.00")  # 1,400 + 600 with abonos, 300 + 450 without (plus interest)
    assert cifras.pendiente_total >= p.pendiente + D("1100.00")  # and the two of 2024
    assert cifras.servicio_total == 5 and cifras.servicio_a_tiempo == 0 and cifras.servicio_sin_citar == 5


@pytest.mark.servicios
def test_emitir_guarda_pdf_y_docx_en_custodia(usuarios, versiones_en_bucket, client):
    emitido = gestion_emitir(anio=2025, usuario=usuarios["jefe"])
    assert isinstance(emitido, InformeEmitido) and emitido.clave == "gestion" and emitido.version == 1
    assert (emitido.desde, emitido.hasta) == (date(2025, 1, 1), date(2025, 12, 31))
    assert emitido.docx.tipo == TipoDocumentoUnidad.INFORME_DOCX
    for documento in (emitido.pdf, emitido.docx):
        assert (documento.clave, documento.version_s3) in versiones_en_bucket()
    assert emitido.cifras["iniciados"] == "0"
    # the issued screen shows the figures as the document says them, not their keys
    presentacion = {clave: (etiqueta, valor) for clave, etiqueta, valor in emitido.presentacion}
    assert set(presentacion) == set(emitido.cifras)
    assert presentacion["iniciados"] == ("Procesos coactivos iniciados en 2025", "0")
    assert presentacion["pendiente_total"][0] == "Saldo por recaudar al 31/12/2025 (todos los años)"
    assert presentacion["pendiente_total"][1].startswith("USD")
    client.force_login(usuarios["jefe"])
    pantalla = client.get(reverse("informes_emitido", args=[emitido.pk])).content.decode()
    assert "Procesos coactivos iniciados en 2025" in pantalla and "Saldo por recaudar al 31/12/2025" in pantalla


@pytest.mark.servicios
def test_pantalla_y_descargas(client, usuarios):
    client.force_login(usuarios["auditor"])
    respuesta = client.get("/admin/informes/gestion/?anio=2025")
    assert respuesta.status_code == 200 and "Informe de gestión" in respuesta.content.decode()
    assert "Emitir informe" not in respuesta.content.decode()  # the auditor reads, does not issue
    docx = client.get("/admin/informes/gestion/descargar/docx/?anio=2025")
    assert docx.status_code == 200 and Document(io.BytesIO(docx.content))
    assert client.get("/admin/informes/gestion/descargar/pdf/?anio=2025").content.startswith(b"%PDF")
    assert client.get("/admin/informes/gestion/descargar/csv/?anio=2025").status_code == 404
    assert client.get("/admin/informes/gestion/?anio=1850").status_code == 404
    for rol in ("archivista", "asesoria", "administrador", "sin_rol"):  # 404, or the admin's login (no access)
        client.force_login(usuarios[rol])
        for url in ("/admin/informes/gestion/?anio=2025", "/admin/informes/gestion/descargar/pdf/?anio=2025"):
            respuesta = client.get(url)
            assert respuesta.status_code == 404 or respuesta["Location"].startswith("/admin/login/"), (rol, url)
    client.force_login(usuarios["jefe"])
    assert "Emitir informe" in client.get("/admin/informes/gestion/?anio=2025").content.decode()
