"""Import of the historical matrices: workbooks generated here with openpyxl carry every bad
input of the issue (title rows, merged headers, two layouts, text dates in several formats,
Excel serials, Spanish amounts, cédulas without their leading zero, duplicated numbers, empty
and hidden sheets, trailing totals). Real PostgreSQL, store and clamd."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from expedientes.estados import Estado
from expedientes.importacion import lectura
from expedientes.models import (
    Coactivado, DocumentoUnidad, ExpedientePage, FilaImportada, ImportacionMatriz, LibroPendiente, Pago,
    TituloCredito, Transicion,
)
from expedientes.services.importacion import (
    TRABAJO_IMPORTACION,
    formato_guardar,
    libro_pendiente_guardar,
    matriz_importar,
    matriz_importar_pedir,
    matriz_importar_trabajo,
)
from expedientes.services.masivo import FilaExpediente, arbol_verificar, expedientes_insertar
from permisos.models import RegistroCustodia
from tests.factories import cedula_valida, expediente_crear

pytestmark = pytest.mark.servicios

CORTE = date(2014, 12, 31)
R = ImportacionMatriz.Resultado


def _bytes(libro: Workbook) -> bytes:
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _cedulas(n, provincia="01"):
    return [cedula_valida(provincia) for _ in range(n)]


def libro_2014(cedulas, *, extra_filas=()):
    """Layout 2014: two title rows, headers merged over two rows with a «TÍTULO DE CRÉDITO»
    group, dates and amounts typed every which way, a hidden and an empty sheet, a total row."""
    libro = Workbook()
    ws = libro.active
    ws.title = "ENERO 2014"
    ws["A1"] = "MINISTERIO DEL TRABAJO — JUZGADO DE COACTIVAS"
    ws.merge_cells("A1:I1")
    ws["A2"] = "MATRIZ DE PROCESOS COACTIVOS AL 31 DE ENERO DE 2014"
    ws.merge_cells("A2:I2")
    for col, texto in zip("ABCDEHI", ["N° DE PROCESO", "COACTIVADO / RAZÓN SOCIAL", "CÉDULA/RUC", "PROVINCIA",
                                      "FECHA DE RECEPCIÓN", "ESTADO", "ABOGADO"]):
        ws[f"{col}4"] = texto
        ws.merge_cells(f"{col}4:{col}5")
    ws["F4"] = "TÍTULO DE CRÉDITO"
    ws.merge_cells("F4:G4")
    ws["F5"], ws["G5"] = "Valor del Título", "Valor Recaudado"
    filas = [
        ["MDT-DRTSPC-2014-0001", "ACEROS DEL AUSTRO S.A.", cedulas[0] + "001", "Azuay", "15/01/2014",
         1234.56, None, "En trámite", "Abogado Prueba"],
        ["2-2014", "JUAN PÉREZ", int(cedulas[1]), "Cañar", "3-2-14", "USD 1.234,56", "200,00", "Pagado", None],
        ["MDT-DRTSPC-2014-0003", "MARÍA LÓPEZ", cedulas[2], "MORONA SANTIAGO", "15 de marzo de 2014",
         "1.000", None, "Citado", None],
        ["MDT-DRTSPC-2014-0004", "TALLERES CUENCA", cedulas[3], "01", 41700, Decimal("350.00"), 350, "pagado", None],
        ["MDT-DRTSPC-2014-0005", "PEDRO SÁNCHEZ", cedulas[4], "Azuay", datetime(2014, 4, 2), "2.500,00", None,
         None, None],
        *extra_filas,
    ]
    for i, fila in enumerate(filas, start=6):
        for col, valor in enumerate(fila, start=1):
            ws.cell(i, col, valor)
    total = 6 + len(filas)
    ws.cell(total, 1, "TOTAL")
    ws.cell(total, 6, 6319.12)
    oculta = libro.create_sheet("Respaldo")
    oculta["A1"] = "N° DE PROCESO"
    oculta.sheet_state = "hidden"
    libro.create_sheet("Hoja3")  # empty
    return libro


def libro_2010(cedulas):
    """Layout 2010: the headers in the first row, other names for the same fields."""
    libro = Workbook()
    ws = libro.active
    ws.title = "2010"
    ws.append(["No. Juicio Coactivo", "Nombres o Razón Social", "RUC / C.I.", "Provincia", "Fecha Orden de Cobro",
               "Monto Adeudado", "Valor Pagado", "Fecha de Pago", "Comprobante"])
    ws.append(["MDT-DRTSPC-2010-0007", "COMERCIAL PAUTE", cedulas[0], "Azuay", "7/6/2010", "850,5", "100",
               "01/07/2010", "REC-2010-1"])
    ws.append(["MDT-DRTSPC-2010-0008", "ANA TORRES", cedulas[1], "Cañar", "2010-08-09", 99, None, None, None])
    return libro


@pytest.fixture
def importador(usuarios):
    return usuarios["secretaria"]


def test_lectura_de_celdas():
    assert lectura.fecha_leer("15/01/2014") == date(2014, 1, 15)
    assert lectura.fecha_leer("3-2-14") == date(2014, 2, 3)
    assert lectura.fecha_leer("15 de marzo de 2014") == date(2014, 3, 15)
    assert lectura.fecha_leer("2-sep-2013") == date(2013, 9, 2)
    assert lectura.fecha_leer(41700) == date(2014, 3, 2)
    assert lectura.fecha_leer(datetime(2014, 4, 2, 0, 0)) == date(2014, 4, 2)
    assert lectura.monto_leer("USD 1.234,56") == Decimal("1234.56")
    assert lectura.monto_leer("1.000") == Decimal("1000")
    assert lectura.monto_leer(1234.5) == Decimal("1234.50")
    cedula = _cedulas(1)[0]
    assert lectura.identificacion_leer(int(cedula)).numero == cedula  # the lost zero is back
    assert lectura.normalizar("N° de Proceso") == "proceso"
    assert lectura.normalizar("CÉDULA/RUC") == "cedula ruc"
    for malo in ("31/02/2014", "ayer", 0):
        with pytest.raises(Exception):
            lectura.fecha_leer(malo)


def test_simulacion_lista_cada_problema_por_hoja_fila_y_columna(importador):
    cedulas = _cedulas(8)
    malas = [
        ["MDT-DRTSPC-2014-0001", "DUPLICADO S.A.", cedulas[5], "Azuay", "01/02/2014", 10, None, None, None],
        ["MDT-DRTSPC-2014-0010", "FECHA MALA", cedulas[6], "Azuay", "31/02/2014", 10, None, None, None],
        ["MDT-DRTSPC-2014-0011", "MONTO MALO", cedulas[7], "Azuay", "01/02/2014", "1,234.56", None, None, None],
        ["MDT-DRTSPC-2014-0012", "CEDULA MALA", 102030405, "Azuay", "01/02/2014", 10, None, None, None],
        ["MDT-DRTSPC-2014-0013", "PROVINCIA MALA", cedulas[5], "Narnia", "01/02/2014", 10, None, None, None],
        ["ABC", "NUMERO MALO", cedulas[5], "Azuay", "01/02/2014", 10, None, None, None],
        ["MDT-DRTSPC-2014-0014", "PAGA DE MAS", cedulas[5], "Azuay", "01/02/2014", 10, 20, None, None],
        ["MDT-DRTSPC-2014-0015", "ESTADO RARO", cedulas[5], "Azuay", "01/02/2014", 10, None, "Perdido", None],
    ]
    contenido = _bytes(libro_2014(cedulas, extra_filas=malas))
    importacion = matriz_importar(contenido=contenido, nombre_archivo="enero-2014.xlsx", usuario=importador,
                                  corte=CORTE, simular=True)
    assert importacion.estado == R.CON_PROBLEMAS
    problemas = {(p["hoja"], p["fila"], p["columna"]): p["mensaje"] for p in importacion.problemas}
    assert "repetido" in problemas[("ENERO 2014", 11, "A")] and "fila 6" in problemas[("ENERO 2014", 11, "A")]
    assert "Fecha no reconocida" in problemas[("ENERO 2014", 12, "E")]
    assert "Monto no reconocido" in problemas[("ENERO 2014", 13, "F")]
    assert "cédula" in problemas[("ENERO 2014", 14, "C")].lower()
    assert "Provincia no reconocida" in problemas[("ENERO 2014", 15, "D")]
    assert "PREFIJO-AAAA-NNNN" in problemas[("ENERO 2014", 16, "A")]
    assert "supera el monto" in problemas[("ENERO 2014", 17, "G")]
    assert "Estado no reconocido" in problemas[("ENERO 2014", 18, "H")]
    assert len(importacion.problemas) == 8, "\n".join(map(str, importacion.problemas))  # the good rows raise nothing
    avisos = [(a["hoja"], a["fila"], a["mensaje"]) for a in importacion.avisos]
    assert ("Respaldo", None, "Hoja oculta: se omite.") in avisos
    assert ("Hoja3", None, "Hoja vacía: se omite.") in avisos
    assert ("ENERO 2014", 19, "Fila de totales: se omite.") in avisos
    # the real import of that file imports nothing, keeps nothing in custody
    real = matriz_importar(contenido=contenido, nombre_archivo="enero-2014.xlsx", usuario=importador, corte=CORTE)
    assert real.estado == R.CON_PROBLEMAS and real.documento is None
    assert not ExpedientePage.objects.exists() and not Coactivado.objects.exists()
    assert not DocumentoUnidad.objects.exists()


def test_importacion_real_y_reimportacion_sin_cambios(importador, usuarios, versiones_en_bucket):
    usuarios["abogado"].first_name, usuarios["abogado"].last_name = "Abogado", "Prueba"
    usuarios["abogado"].save()
    cedulas = _cedulas(5)
    contenido = _bytes(libro_2014(cedulas))
    simulada = matriz_importar(contenido=contenido, nombre_archivo="enero-2014.xlsx", usuario=importador,
                               corte=CORTE, simular=True)
    assert simulada.estado == R.VALIDA, simulada.problemas
    assert simulada.expedientes_creados == 5 and not ExpedientePage.objects.exists()
    importacion = matriz_importar(contenido=contenido, nombre_archivo="enero-2014.xlsx", usuario=importador,
                                  corte=CORTE)
    assert importacion.estado == R.IMPORTADA, importacion.problemas
    assert (importacion.expedientes_creados, importacion.coactivados_creados, importacion.pagos_creados) == (5, 5, 2)
    expedientes = {e.numero: e for e in ExpedientePage.objects.select_related("coactivado")}
    assert set(expedientes) == {f"MDT-DRTSPC-2014-000{i}" for i in range(1, 6)}
    segundo = expedientes["MDT-DRTSPC-2014-0002"]
    assert segundo.coactivado.identificacion == cedulas[1]  # the leading zero restored
    assert (segundo.provincia, segundo.fecha_recepcion, segundo.monto_titulo, segundo.estado) == (
        "03", date(2014, 2, 3), Decimal("1234.56"), Estado.PAGADO)
    assert expedientes["MDT-DRTSPC-2014-0003"].provincia == "14"
    assert expedientes["MDT-DRTSPC-2014-0004"].fecha_recepcion == date(2014, 3, 2)
    assert expedientes["MDT-DRTSPC-2014-0001"].abogado == usuarios["abogado"]
    assert "aceros del austro" in expedientes["MDT-DRTSPC-2014-0001"].busqueda  # the insert trigger
    assert expedientes["MDT-DRTSPC-2014-0003"].citacion_limite is not None  # derived data recomputed
    assert TituloCredito.objects.count() == 5
    pago = Pago.objects.get(expediente=segundo)
    assert (pago.monto, pago.fecha, pago.recibo) == (Decimal("200.00"), CORTE, "MH-MDT-DRTSPC-2014-0002")
    transicion = Transicion.objects.get(expediente=segundo)
    assert (transicion.desde, transicion.hasta, transicion.fecha) == (Estado.INICIADO, Estado.PAGADO, CORTE)
    assert transicion.motivo.startswith("Importado de la matriz histórica «enero-2014.xlsx»")
    assert not Transicion.objects.filter(expediente=expedientes["MDT-DRTSPC-2014-0005"]).exists()
    assert arbol_verificar() == {}
    assert expedientes["MDT-DRTSPC-2014-0001"].get_parent().specific.anio == 2014
    # the workbook in the real store, the act in the custody log
    documento = importacion.documento
    assert documento.tipo == "matriz_importada" and (documento.clave, documento.version_s3) in versiones_en_bucket()
    assert RegistroCustodia.objects.filter(accion=RegistroCustodia.Accion.IMPORTACION).count() == 1
    # the same file twice changes nothing
    otra = matriz_importar(contenido=contenido, nombre_archivo="enero-2014.xlsx", usuario=importador, corte=CORTE)
    assert (otra.estado, otra.sin_cambios, otra.expedientes_creados, otra.documento) == (R.SIN_CAMBIOS, 5, 0, None)
    assert ExpedientePage.objects.count() == 5 and Pago.objects.count() == 2 and DocumentoUnidad.objects.count() == 1
    assert FilaImportada.objects.count() == 5


def test_segundo_formato_y_mapeo_guardado(importador):
    cedulas = _cedulas(2, "03")
    importacion = matriz_importar(contenido=_bytes(libro_2010(cedulas)), nombre_archivo="2010.xlsx",
                                  usuario=importador, corte=CORTE)
    assert importacion.estado == R.IMPORTADA, importacion.problemas
    pago = Pago.objects.get()
    assert (pago.recibo, pago.fecha, pago.monto) == ("REC-2010-1", date(2010, 7, 1), Decimal("100.00"))
    assert ExpedientePage.objects.get(numero="MDT-DRTSPC-2010-0007").monto_titulo == Decimal("850.50")
    # a layout whose amount column no synonym knows: the saved mapping names it
    libro = Workbook()
    ws = libro.active
    ws.append(["Proceso", "Deudor", "Cédula", "Provincia", "Fecha", "IMPORTE"])
    ws.append(["MDT-DRTSPC-2011-0001", "LUIS VEGA", _cedulas(1)[0], "Azuay", "05/05/2011", "75,00"])
    contenido = _bytes(libro)
    primera = matriz_importar(contenido=contenido, nombre_archivo="2011.xlsx", usuario=importador, simular=True)
    assert [p["mensaje"] for p in primera.problemas] == [
        "No se encontró la columna de monto del título: indíquela en el mapeo."]
    hoja = primera.mapeo["Sheet"]
    formato_guardar(nombre="Matriz 2011", firma=hoja["firma"], cabeceras=hoja["cabeceras"],
                    mapeo=hoja["mapeo"] | {"monto": "IMPORTE"}, usuario=importador)
    segunda = matriz_importar(contenido=contenido, nombre_archivo="2011.xlsx", usuario=importador, simular=True)
    assert segunda.estado == R.VALIDA and segunda.formato.nombre == "Matriz 2011"


def test_duplicado_contra_la_base(importador, usuarios):
    existente = expediente_crear(usuario=importador, numero="MDT-DRTSPC-2014-0001")
    contenido = _bytes(libro_2014(_cedulas(5)))
    importacion = matriz_importar(contenido=contenido, nombre_archivo="m.xlsx", usuario=importador, corte=CORTE)
    assert importacion.estado == R.CON_PROBLEMAS
    assert importacion.problemas == [{"hoja": "ENERO 2014", "fila": 6, "columna": "A",
                                      "mensaje": f"Ya existe el expediente {existente.numero} en el portal."}]
    assert ExpedientePage.objects.count() == 1


def test_insercion_masiva_junto_a_lo_abierto_por_el_servicio(importador):
    abierto = expediente_crear(usuario=importador, fecha=date(2025, 3, 13))
    coactivado = Coactivado.objects.get()
    filas = [FilaExpediente(numero=f"MDT-DRTSPC-2025-09{i:02d}", anio=2025, secuencial=900 + i,
                            coactivado_id=coactivado.pk, provincia="01", fecha_recepcion=date(2025, 4, i + 1),
                            monto_titulo=Decimal("10.00")) for i in range(3)]
    ids = expedientes_insertar(filas, usuario=importador)
    assert arbol_verificar() == {}
    anio = abierto.get_parent()
    anio.refresh_from_db()
    assert anio.numchild == 4
    assert list(ExpedientePage.objects.child_of(anio).order_by("path").values_list("pk", flat=True)) == [
        abierto.pk, *ids]
    nuevo = ExpedientePage.objects.get(pk=ids[0])
    assert nuevo.url_path.endswith("/2025/mdt-drtspc-2025-0900/") and nuevo.plazo_vence is not None
    # the next opening follows the imported sequence
    siguiente = expediente_crear(usuario=importador, fecha=date(2025, 5, 2))
    assert siguiente.numero == "MDT-DRTSPC-2025-0903"
    assert arbol_verificar() == {}


def test_comando(importador, tmp_path):
    ruta = tmp_path / "enero-2014.xlsx"
    ruta.write_bytes(_bytes(libro_2014(_cedulas(5))))
    salida = io.StringIO()
    call_command("matriz_importar", str(ruta), "--simular", "--usuario", "secretaria", "--corte", "31/12/2014",
                 stdout=salida)
    assert "Válida (simulación)" in salida.getvalue() and not ExpedientePage.objects.exists()
    salida = io.StringIO()
    call_command("matriz_importar", str(ruta), "--usuario", "secretaria", "--corte", "31/12/2014", stdout=salida)
    texto = salida.getvalue()
    assert "filas de wagtailcore_page (COPY)" in texto and "Importada: 5 filas leídas" in texto
    salida = io.StringIO()
    call_command("matriz_importar", str(ruta), "--usuario", "secretaria", stdout=salida)
    assert "Sin cambios" in salida.getvalue()
    with pytest.raises(CommandError, match="No se importó nada"):
        malo = tmp_path / "malo.xlsx"
        malo.write_bytes(_bytes(libro_2014(_cedulas(5), extra_filas=[["MDT-DRTSPC-2014-0001", "X", "1", "Azuay",
                                                                      "1/1/2014", 1, None, None, None]])))
        call_command("matriz_importar", str(malo), "--usuario", "secretaria", stdout=io.StringIO())


def _trabajo_correr(respuesta):
    """The job the screen queued, run here as the queue's task would (the real worker runs one in
    tests/portal/test_cola.py); its page then links to the result."""
    from portal.models import Trabajo

    assert respuesta.status_code == 302, respuesta.content.decode()[-3000:]
    trabajo = Trabajo.objects.get(pk=int(respuesta["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert respuesta["Location"] == reverse("trabajo_detalle", args=[trabajo.pk])
    assert trabajo.tipo == TRABAJO_IMPORTACION and trabajo.job_id
    return matriz_importar_trabajo(trabajo.pk), trabajo


def test_pantallas(client, usuarios):
    contenido = _bytes(libro_2014(_cedulas(5)))
    client.force_login(usuarios["abogado"])
    for url in (reverse("importacion_lista"), reverse("importacion_nueva")):
        assert client.get(url).status_code == 404
    client.force_login(usuarios["secretaria"])
    assert client.get(reverse("importacion_lista")).status_code == 200
    archivo = io.BytesIO(contenido)
    archivo.name = "enero-2014.xlsx"
    respuesta = client.post(reverse("importacion_nueva"), {"archivo": archivo, "corte": "31/12/2014"})
    assert not ImportacionMatriz.objects.exists()  # queued, not run in the request
    simulada, trabajo = _trabajo_correr(respuesta)
    assert simulada == ImportacionMatriz.objects.get() and simulada.trabajo_id == trabajo.pk
    pagina = client.get(reverse("trabajo_detalle", args=[trabajo.pk])).content.decode()
    assert "Terminado" in pagina and reverse("importacion_detalle", args=[simulada.pk]) in pagina
    pagina = client.get(reverse("importacion_detalle", args=[simulada.pk])).content.decode()
    assert "Hoja oculta: se omite." in pagina and "Confirmar e importar 5 expedientes" in pagina
    otro = Client()
    otro.force_login(usuarios["abogado"])
    assert otro.get(reverse("importacion_detalle", args=[simulada.pk])).status_code == 404
    assert otro.post(reverse("importacion_detalle", args=[simulada.pk]), {"accion": "confirmar"}).status_code == 404
    assert otro.get(reverse("trabajo_detalle", args=[trabajo.pk])).status_code == 404
    prefijo = simulada.mapeo["ENERO 2014"]["firma"][:12]
    campos = {f"{prefijo}_{c}": h for c, h in simulada.mapeo["ENERO 2014"]["mapeo"].items()}
    respuesta = client.post(reverse("importacion_detalle", args=[simulada.pk]), {"accion": "confirmar", **campos})
    real, _ = _trabajo_correr(respuesta)
    assert real == ImportacionMatriz.objects.exclude(pk=simulada.pk).get()
    assert real.estado == R.IMPORTADA and ExpedientePage.objects.count() == 5
    # the pending workbook went into custody: the dry run can no longer be confirmed
    assert not LibroPendiente.objects.exists()
    simulada.refresh_from_db()
    assert simulada.libro_id is None
    assert "Confirmar e importar" not in client.get(reverse("importacion_detalle", args=[simulada.pk])).content.decode()
    assert "Importada" in client.get(reverse("importacion_lista")).content.decode()
    # the workbook kept in custody is one click away, through the permission-checked view
    enlace = reverse("informes_documento", args=[real.documento.uuid])
    assert enlace in client.get(reverse("importacion_detalle", args=[real.pk])).content.decode()
    assert client.get(enlace).status_code == 200


def test_trabajo_repetido_y_archivo_que_ya_no_esta(importador):
    """At-least-once delivery: the same job run again closes its record with the import it already
    made; a job whose workbook is gone fails with the reason, and a bad file fails once, clearly."""
    from portal.models import EstadoTrabajo, Trabajo

    libro = libro_pendiente_guardar(contenido=_bytes(libro_2014(_cedulas(5))), nombre_archivo="e.xlsx",
                                    usuario=importador)
    trabajo = matriz_importar_pedir(libro=libro, usuario=importador, corte=CORTE, simular=False)
    real = matriz_importar_trabajo(trabajo.pk)
    assert real.estado == R.IMPORTADA and not LibroPendiente.objects.exists()
    assert matriz_importar_trabajo(trabajo.pk) == real  # run again: nothing new
    assert ImportacionMatriz.objects.count() == 1 and ExpedientePage.objects.count() == 5
    assert Trabajo.objects.get(pk=trabajo.pk).estado == EstadoTrabajo.TERMINADO

    otro = matriz_importar_pedir(libro=libro, usuario=importador, corte=CORTE, simular=False)
    assert matriz_importar_trabajo(otro.pk) is None
    otro.refresh_from_db()
    assert otro.estado == EstadoTrabajo.FALLIDO and "vuelva a subirlo" in otro.error

    roto = libro_pendiente_guardar(contenido=b"PK\x03\x04 no es un libro", nombre_archivo="roto.xlsx",
                                   usuario=importador)
    trabajo = matriz_importar_pedir(libro=roto, usuario=importador, corte=CORTE, simular=True)
    revisada = matriz_importar_trabajo(trabajo.pk)  # not a workbook: a problem the user reads, not a crash
    assert revisada.estado == R.CON_PROBLEMAS and revisada.problemas
    trabajo.refresh_from_db()
    assert trabajo.estado == EstadoTrabajo.TERMINADO and "1 problema." in trabajo.mensaje
    with pytest.raises(ValidationError, match="supera 20 MB"):
        libro_pendiente_guardar(contenido=b"x" * (20 * 2**20 + 1), nombre_archivo="grande.xlsx", usuario=importador)
