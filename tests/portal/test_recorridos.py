"""The unit's daily journeys in a real browser (issue 9): the secretaria opens an expediente with
the scan of its orden de cobro, generates the auto de pago signed by the jefe, records the
citation with its razón and uploads and downloads a scan; the abogado finds «perez calle»,
records a payment of «1.850,40», downloads its receipt and is refused an overpayment; the jefe
reads the overdue panel, registers a decreed day and changes a rate that governs past days.
The archive (issue 10): the jefe closes an ended expediente, boxes it and transfers it with
another to the Archivo Central; the archivista cotejas and accepts the transfer and reads the
TPCD, the contested cases and the fixity audits, never the unit's other expedientes.

Each journey saves a screenshot of every main step in var/capturas/<journey>/ (1280×900) and
prints how many clicks it took (`pytest -s` shows it). Typing and choosing in a list are not
clicks; choosing a file is one (the «Examinar» button)."""

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = [pytest.mark.servicios, pytest.mark.navegador, pytest.mark.lento]

CAPTURAS = Path(__file__).resolve().parents[2] / "var" / "capturas"
CLAVE = "clave-de-prueba"


class Recorrido:
    """One person's journey: a page at 1280×900, its screenshots and its clicks."""

    def __init__(self, chromium, url, nombre, ancho=1280, alto=900):
        self.contexto = chromium.new_context(viewport={"width": ancho, "height": alto}, accept_downloads=True,
                                              locale="es-EC")
        self.pagina = self.contexto.new_page()
        self.url, self.nombre, self.clics, self.pasos, self.cerrado = url, nombre, 0, 0, False
        self.carpeta = CAPTURAS / nombre
        self.carpeta.mkdir(parents=True, exist_ok=True)

    def clic(self, objetivo, **opciones):
        """Every click of the journey goes through here (a selector or a locator)."""
        self.clics += 1
        localizador = self.pagina.locator(objetivo) if isinstance(objetivo, str) else objetivo
        localizador.click(**opciones)

    def archivo(self, selector, ruta):
        """Choosing a file: one click on the file input, the dialog is the system's."""
        self.clics += 1
        self.pagina.set_input_files(selector, str(ruta))

    def accion(self, accion, titulo, *, escribir=(), elegir=(), archivos=(), captura=None):
        """An action of the process screen: unfold it, fill its form, submit it."""
        self.clic(f"summary:text-is('{titulo}')")
        for campo, valor in dict(escribir).items():
            self.pagina.fill(f"#id_{accion}-{campo}", valor)
        for campo, opcion in dict(elegir).items():
            self.pagina.select_option(f"#id_{accion}-{campo}", **opcion)
        for campo, ruta in dict(archivos).items():
            self.archivo(f"#id_{accion}-{campo}", ruta)
        self.pagina.keyboard.press("Escape")  # a date picker left open
        if captura:
            self.captura(captura)
        self.clic(f"form[action$='/{accion}/'] button[type=submit]")
        self.pagina.wait_for_load_state()

    def captura(self, paso):
        self.pasos += 1
        self.pagina.wait_for_load_state()
        self.pagina.screenshot(path=str(self.carpeta / f"{self.pasos:02d}-{paso}.png"), full_page=True)

    def entrar(self, usuario):
        self.pagina.goto(f"{self.url}/admin/login/")
        self.pagina.fill("#id_username", usuario)
        self.pagina.fill("#id_password", CLAVE)
        self.clic("button[type=submit]")
        self.pagina.wait_for_load_state()
        assert "/admin/login/" not in self.pagina.url

    def menu(self, etiqueta):
        """An entry of the admin's side menu."""
        self.clic(self.pagina.locator("#wagtail-sidebar").get_by_role("link", name=etiqueta, exact=True))
        self.pagina.wait_for_load_state()

    def contenido(self):
        return self.pagina.content()

    def mensajes(self):
        return " ".join(self.pagina.locator(".messages").all_inner_texts())

    def terminar(self):
        print(f"\n[recorrido {self.nombre}] {self.clics} clics, {self.pasos} capturas en {self.carpeta}")
        self.cerrar()
        return self.clics

    def cerrar(self):
        if not self.cerrado:
            self.contexto.close()
            self.cerrado = True


@pytest.fixture
def recorrido(live_server, navegador):
    abiertos = []

    def abrir(nombre, **tamano):
        r = Recorrido(navegador, live_server.url, nombre, **tamano)
        abiertos.append(r)
        return r

    yield abrir
    for r in abiertos:  # a journey that failed half-way
        r.cerrar()


# two controls whose boxes intersect (both visible): the overlapping fields of point 9
SOLAPADOS = """() => {
  const visibles = [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea, main button')]
    .map(e => [e, e.getBoundingClientRect()]).filter(([e, r]) => r.width > 0 && r.height > 0);
  const choques = [];
  for (let i = 0; i < visibles.length; i++) for (let j = i + 1; j < visibles.length; j++) {
    const [a, ra] = visibles[i], [b, rb] = visibles[j];
    if (a.contains(b) || b.contains(a)) continue;
    const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
    const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
    if (x > 2 && y > 2) choques.push((a.name || a.id || a.textContent.trim()) + ' / ' + (b.name || b.id || b.textContent.trim()));
  }
  return choques;
}"""
EN_INGLES = ("None", "Choose", "Save", "Cancel", "Search", "Filter", "Page", "Live", "Draft", "Publish")


def disposicion_revisar(recorrido, ancho, pantallas):
    r = recorrido(f"disposicion-{ancho}", ancho=ancho, alto=2400)
    r.entrar("secretaria")
    for nombre, ruta in pantallas.items():
        r.pagina.goto(f"{r.url}{ruta}")
        r.pagina.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")
        r.captura(nombre)
        if nombre == "proceso":  # its forms, below what a 2400 px screenshot shows
            r.pagina.locator("main section").last.screenshot(path=str(r.carpeta / "proceso-formularios.png"))
        assert r.pagina.evaluate(SOLAPADOS) == [], (ancho, nombre)
        texto = r.pagina.locator("main").inner_text()
        palabras = set(re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñ]+", texto))
        assert not palabras & set(EN_INGLES), (ancho, nombre, palabras & set(EN_INGLES))
        html = r.pagina.content()
        assert "---------" not in html and "Wagtail" not in r.pagina.locator("body").inner_text(), (ancho, nombre)
    r.terminar()


def _fecha(d: date) -> str:
    return d.strftime("%d/%m/%Y")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_recorrido_de_la_secretaria(recorrido, usuarios, pdf, tmp_path):
    from expedientes.models import AdjuntoVersion, Citacion, DocumentoEmitido, ExpedientePage
    from tests.factories import cedula_valida

    orden = tmp_path / "orden de cobro 0457.pdf"
    orden.write_bytes(pdf("orden de cobro").getvalue())
    razon = tmp_path / "razon de citacion.pdf"
    razon.write_bytes(pdf("razón de citación").getvalue())
    escaneo = tmp_path / "auto de pago firmado.pdf"
    escaneo.write_bytes(pdf("auto de pago firmado").getvalue())
    jefe = usuarios["jefe"].get_full_name()
    hoy = date.today()

    r = recorrido("secretaria")
    p = r.pagina
    r.entrar("secretaria")
    r.captura("inicio")

    # 1. open the expediente with the scan of the orden de cobro
    r.menu("Abrir expediente")
    p.fill("#id_orden_cobro_numero", "OC-2026-0457")
    p.fill("#id_fecha_recepcion", _fecha(hoy))
    p.fill("#id_titulo_numero", "TC-2026-0311")
    p.fill("#id_titulo_fecha", _fecha(hoy))
    p.fill("#id_monto_titulo", "2.345,67")
    p.fill("#id_identificacion", cedula_valida())
    p.fill("#id_nombre", "TORRES ÁLVAREZ MARÍA JOSÉ")
    p.select_option("#id_provincia", index=1)
    p.fill("#id_domicilio", "Av. 10 de Agosto N24-55 y Cordero, Quito")
    p.fill("#id_telefono", "0991234567")
    p.fill("#id_correo", "mtorres@example.ec")
    p.fill("#id_casillero_judicial", "1234")
    p.select_option("#id_abogado", label=usuarios["abogado"].get_full_name())
    r.archivo("#id_archivo", orden)
    p.keyboard.press("Escape")  # a date picker left open
    r.captura("abrir-expediente")
    r.clic("main button[type=submit]:has-text('Abrir expediente')")
    p.wait_for_load_state()
    expediente = ExpedientePage.objects.get(coactivado__nombre="TORRES ÁLVAREZ MARÍA JOSÉ")
    assert p.url.endswith(f"/admin/coactivas/expedientes/{expediente.pk}/")  # lands on the process screen
    assert f"Expediente {expediente.numero} abierto." in r.mensajes()
    assert "Orden de cobro" in r.contenido() and "USD 2.345,67" in r.contenido()
    r.captura("pantalla-del-proceso")

    # 2. the auto de pago, signed by the jefe: preview once, then generate
    r.clic("summary:has-text('Generar documento')")
    p.select_option("#id_documento-clave", value="auto_pago")
    p.select_option("#id_documento-firmante", label=jefe)
    with r.contexto.expect_event("response", lambda x: x.url.endswith("/documento/")) as previa:
        r.clic("button[name=vista_previa]")
    assert previa.value.headers["content-type"] == "application/pdf"
    # Chromium shows it in its PDF viewer (the body read back is the viewer's page)
    assert "vista-previa-auto_pago" in previa.value.headers["content-disposition"]
    assert not DocumentoEmitido.objects.filter(expediente=expediente).exists()  # stored nothing
    for extra in r.contexto.pages[1:]:
        extra.close()
    r.captura("auto-de-pago-formulario")
    r.clic("form[action$='/documento/'] button:not([name=vista_previa])")
    p.wait_for_load_state()
    assert "Documento generado y guardado en custodia." in r.mensajes()
    emitido = DocumentoEmitido.objects.get(expediente=expediente)
    assert emitido.clave == "auto_pago" and emitido.version.firmante == usuarios["jefe"]
    r.captura("auto-de-pago-generado")

    # 3. the citation, with its razón
    r.accion("citacion", "Citación (con su razón)", captura="citacion-formulario",
             escribir={"fecha": _fecha(hoy), "observaciones": "Recibió la boleta su cónyuge."},
             elegir={"forma": {"index": 1}}, archivos={"archivo": razon})
    assert "Citación registrada con su razón." in r.mensajes()
    citacion = Citacion.objects.get(expediente=expediente)
    assert citacion.fecha == hoy
    r.captura("citacion-registrada")

    # 4. a scan on the auto de pago's files screen, then downloaded
    fila = p.locator("#actuaciones tr", has_text="Auto de pago")
    r.clic(fila.get_by_role("link", name="Archivos y versiones"))
    p.wait_for_load_state()
    p.fill("#id_titulo", "Auto de pago firmado")
    r.archivo("#id_archivo", escaneo)
    r.captura("archivos-de-la-actuacion")
    r.clic("button:has-text('Adjuntar')")
    p.wait_for_load_state()
    assert "versión 1 guardada" in r.contenido()
    r.captura("escaneo-guardado")
    with p.expect_download() as descarga:
        r.clic(p.get_by_role("link", name="auto de pago firmado.pdf"))
    assert descarga.value.suggested_filename == "auto de pago firmado.pdf"
    assert Path(descarga.value.path()).read_bytes() == escaneo.read_bytes()
    clics = r.terminar()

    # point 9: the secretaria's main screens at two common widths, every form of the process
    # screen unfolded; fields must not overlap, nor show "None" or English
    for ancho in (1280, 1024):
        disposicion_revisar(recorrido, ancho, {
            "inicio": "/admin/", "abrir": "/admin/coactivas/expedientes/abrir/",
            "listado": "/admin/coactivas/expedientes/", "proceso": f"/admin/coactivas/expedientes/{expediente.pk}/",
        })

    version = AdjuntoVersion.objects.get(nombre_original="auto de pago firmado.pdf")
    assert version.subido_por == usuarios["secretaria"]
    assert AdjuntoVersion.objects.filter(nombre_original="orden de cobro 0457.pdf").exists()
    assert clics == 14


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_recorrido_del_abogado(recorrido, usuarios):
    from expedientes.models import Pago
    from tests.factories import expediente_crear

    silvia = expediente_crear(usuario=usuarios["secretaria"], nombre="PÉREZ CALLE SILVIA",
                              abogado=usuarios["abogado"], monto=Decimal("4000.00"))
    otro = expediente_crear(usuario=usuarios["secretaria"], nombre="GÓMEZ TORRES LUIS",
                            abogado=usuarios["abogado"])

    r = recorrido("abogado")
    p = r.pagina
    r.entrar("abogado")
    r.captura("inicio")

    # 1. find «perez calle»
    r.menu("Expedientes")
    assert otro.numero in r.contenido()
    p.fill("#id_q", "perez calle")
    r.clic("main button:has-text('Filtrar')")
    p.wait_for_load_state()
    assert silvia.numero in r.contenido() and otro.numero not in r.contenido()
    r.captura("busqueda-perez-calle")
    r.clic(p.get_by_role("link", name=silvia.numero, exact=True))
    p.wait_for_load_state()
    assert p.url.endswith(f"/admin/coactivas/expedientes/{silvia.pk}/")
    r.captura("pantalla-del-proceso")

    # 2. a payment of «1.850,40»
    r.accion("pago", "Pago", captura="pago-formulario", escribir={"monto": "1.850,40", "recibo": "REC-000981"},
             elegir={"origen": {"index": 0}})
    assert "Pago registrado." in r.mensajes()
    pago = Pago.objects.get(expediente=silvia)
    assert pago.monto == Decimal("1850.40")
    assert "USD 1.850,40" in r.contenido()
    r.captura("pago-registrado")

    # 3. its receipt
    with p.expect_download() as descarga:
        r.clic(p.get_by_role("link", name="Comprobante (PDF)"))
    assert Path(descarga.value.path()).read_bytes().startswith(b"%PDF")
    assert descarga.value.suggested_filename.endswith(".pdf")

    # 4. an overpayment, refused in Spanish with the amounts as Ecuador writes them
    r.accion("pago", "Pago", escribir={"monto": "5.000,00", "recibo": "REC-000982"})
    rechazo = r.mensajes()
    assert "No se guardó" in rechazo and "USD 5.000,00" in rechazo and "supera el saldo" in rechazo, rechazo
    assert re.search(r"saldo de USD \d{1,3}(\.\d{3})*,\d{2}", rechazo), rechazo
    assert Pago.objects.filter(expediente=silvia).count() == 1
    r.captura("sobrepago-rechazado")
    assert r.terminar() == 9


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_recorrido_del_jefe(recorrido, usuarios, tasa):
    from expedientes.models import DiaEspecial, TasaInteresCambio
    from tests.factories import expediente_crear

    # opened in March 2025: its citation deadline (stored on opening) is long past
    vencido = expediente_crear(usuario=usuarios["secretaria"], nombre="MORA VENCIDA CIA. LTDA.",
                               abogado=usuarios["abogado"], fecha=date(2025, 3, 13))
    vencido.refresh_from_db()
    assert vencido.plazo_vence < date.today()
    dia = date(date.today().year + 1, 2, 3)

    r = recorrido("jefe")
    p = r.pagina
    r.entrar("jefe")

    # 1. the overdue panel on the home
    panel = p.locator("body").inner_text()
    assert "Vencidos (1)" in panel and vencido.numero in panel and "MORA VENCIDA CIA. LTDA." in panel
    r.captura("inicio-vencidos")

    # 2. a decreed day
    r.clic(p.locator("#wagtail-sidebar").get_by_role("button", name="Registros"))
    r.menu("Calendario")
    r.clic(p.locator("main, #main").get_by_role("link", name=re.compile("Agregar|Añadir")).first)
    p.wait_for_load_state()
    p.fill("#id_fecha", _fecha(dia))
    p.select_option("#id_tipo", value="decretado")
    p.fill("#id_nombre", "Jornada de descanso obligatorio")
    p.fill("#id_fuente", "Decreto Ejecutivo N.º 500")
    p.keyboard.press("Escape")
    r.captura("dia-decretado-formulario")
    r.clic(p.locator("main button[type=submit]").first)
    p.wait_for_load_state()
    assert _fecha(dia) in r.mensajes() and "Jornada de descanso obligatorio" in r.mensajes(), r.mensajes()
    assert "Jornada de descanso obligatorio" in p.locator("main table").inner_text()
    assert DiaEspecial.objects.get(fecha=dia).creado_por == usuarios["jefe"]
    r.captura("dia-decretado-en-el-calendario")

    # 3. a rate that governs past days: the warning says how many balances change
    r.clic(p.locator("#wagtail-sidebar").get_by_role("button", name="Registros"))
    r.menu("Tasas de interés")
    r.clic(p.locator("main table").get_by_role("link", name="01/01/2024").first
           if p.locator("main table").get_by_role("link", name="01/01/2024").count()
           else p.locator("main table tbody a").first)
    p.wait_for_load_state()
    p.fill("#id_tasa_anual", "12,5")
    p.fill("#id_fuente", "BCE, corrección")
    r.clic(p.locator("main button[type=submit]").first)
    p.wait_for_load_state()
    aviso = p.locator("main").inner_text()
    assert "cambia el saldo de 1 expediente" in aviso and vencido.numero in aviso, aviso
    assert not TasaInteresCambio.objects.filter(accion="modificacion").exists()
    r.captura("tasa-aviso")
    r.clic("#id_confirmar")
    r.clic(p.locator("main button[type=submit]").first)
    p.wait_for_load_state()
    cambio = TasaInteresCambio.objects.get(accion="modificacion")
    assert (cambio.usuario, cambio.expedientes_afectados) == (usuarios["jefe"], 1)
    r.captura("tasa-guardada")
    r.clic(p.locator("main table tbody a").first)
    p.wait_for_load_state()
    historial = p.locator("main").inner_text()
    assert "Historial de cambios de esta tasa" in historial and "12,50 %" in historial
    assert usuarios["jefe"].get_full_name() in historial
    r.captura("tasa-historial")
    print(f"[recorrido jefe] aviso: {aviso[aviso.find('Esta tasa'):][:200]}")
    r.terminar()


def _pdf_legible(texto: str) -> io.BytesIO:
    """A PDF pypdf reads (the closing folios its pages), unique bytes (clamd caches verdicts)."""
    import uuid

    from pypdf import PdfWriter

    escritor = PdfWriter()
    escritor.add_blank_page(595, 842)
    escritor.add_blank_page(595, 842)
    escritor.add_metadata({"/Title": f"{texto} {uuid.uuid4().hex}"})
    flujo = io.BytesIO()
    escritor.write(flujo)
    flujo.seek(0)
    return flujo


def _expediente_terminado(usuarios, nombre):
    """An expediente of the unit with one stored file (two pages), ended (baja) by the jefe."""
    from expedientes.estados import Estado
    from expedientes.models import ExpedientePage, TipoActuacion
    from expedientes.services.actuaciones import actuacion_registrar
    from expedientes.services.adjuntos import adjunto_crear
    from expedientes.services.proceso import expediente_transicion
    from tests.factories import expediente_crear

    expediente = expediente_crear(usuario=usuarios["secretaria"], nombre=nombre)
    actuacion = actuacion_registrar(expediente=expediente, tipo=TipoActuacion.AUTO_DE_PAGO,
                                    fecha=expediente.fecha_recepcion, usuario=usuarios["secretaria"])
    adjunto_crear(actuacion=actuacion, titulo="Auto de pago firmado", flujo=_pdf_legible(f"Auto de pago {nombre}"),
                  nombre="auto.pdf", usuario=usuarios["secretaria"])
    expediente_transicion(expediente=expediente, hasta=Estado.BAJA, usuario=usuarios["jefe"],
                          motivo="Prescripción de la acción de cobro")
    return ExpedientePage.objects.get(pk=expediente.pk)


def _captura_alta(r, paso, alto=1500):
    """A screenshot of a long screen (the admin scrolls inside its own panel, so a full-page
    screenshot stops at the window): a taller window for this one."""
    r.pagina.set_viewport_size({"width": 1280, "height": alto})
    r.captura(paso)
    r.pagina.set_viewport_size({"width": 1280, "height": 900})


def _archivo_menu(r, etiqueta):
    """An entry of the side menu's «Archivo» submenu."""
    r.clic(r.pagina.locator("#wagtail-sidebar").get_by_role("button", name="Archivo"))
    r.menu(etiqueta)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_recorrido_del_archivo(recorrido, usuarios):
    """Issue 10: the jefe closes two ended expedientes, boxes one and transfers both to the
    Archivo Central; the archivista cotejas them (one conforme, one with discrepancies),
    accepts the transfer and reads the TPCD, the contested cases and the fixity audits,
    never the unit's other expedientes."""
    from django.core.management import call_command
    from openpyxl import load_workbook

    from archivo.fases import FaseArchivo
    from archivo.models import EstadoTransferencia, ResultadoCotejo, Serie, Transferencia
    from archivo.services import cierre, fisico
    from archivo.services.clasificacion import serie_por_defecto
    from expedientes.models import ExpedientePage

    jefe = usuarios["jefe"]
    # no years in gestión: a closed expediente may be transferred the day it closes
    Serie.objects.filter(pk=serie_por_defecto().pk).update(anios_gestion=0, anios_central=5)
    alfa, beta, gama = (_expediente_terminado(usuarios, n)
                        for n in ("ALFA COMERCIAL S.A.", "BETA SERVICIOS CIA. LTDA.", "GAMA ANDINA S.A."))
    caja = fisico.caja_crear(codigo="CJ-2026-001", usuario=jefe, descripcion="Coactivas 2025")

    # --- the jefe
    r = recorrido("archivo-jefe")
    p = r.pagina
    r.entrar("jefe")

    # 1. close ALFA from its process screen («Archivo» block)
    p.goto(f"{r.url}/admin/coactivas/expedientes/{alfa.pk}/")
    r.clic("summary:text-is('Cerrar expediente')")
    r.captura("cerrar-expediente")
    r.clic(f"form[action$='/archivo/cierre/{alfa.pk}/cerrar/'] button[type=submit]")
    p.wait_for_load_state()
    assert "Expediente cerrado:" in r.mensajes(), r.mensajes()
    bloque = p.locator("#archivo").inner_text()
    assert "solo lectura" in bloque and p.locator("#archivo ul li").count() == 4, bloque
    r.captura("expediente-cerrado")
    # BETA closed through the service (the same act), GAMA stays with the unit
    cierre.expediente_cerrar(expediente=beta, usuario=jefe)

    # 2. ALFA's paper original in a box
    _archivo_menu(r, "Cajas y estantes")
    r.clic(p.locator("main").get_by_role("link", name=caja.codigo, exact=True))
    p.wait_for_load_state()
    p.fill("#id_expediente", alfa.numero)
    r.clic("main button:has-text('Ubicar')")
    p.wait_for_load_state()
    assert f"ubicado en la caja {caja.codigo}" in r.mensajes(), r.mensajes()
    r.captura("caja-con-el-expediente")

    # 3. the transfer: the portal's proposal, a draft, requested
    _archivo_menu(r, "Transferencias")
    r.clic(p.locator("main").get_by_role("link", name="Nueva transferencia"))
    p.wait_for_load_state()
    propuesta = p.locator("main table").inner_text()
    assert alfa.numero in propuesta and beta.numero in propuesta and gama.numero not in propuesta
    p.fill("#observaciones", "Primera transferencia primaria de la unidad.")
    r.captura("nueva-transferencia")
    r.clic("main button:has-text('Crear la transferencia')")
    p.wait_for_load_state()
    transferencia = Transferencia.objects.get()
    assert "2 expediente(s) incluidos" in r.mensajes(), r.mensajes()
    r.clic("form[action$='/solicitar/'] button[type=submit]")
    p.wait_for_load_state()
    assert "Transferencia solicitada" in r.mensajes(), r.mensajes()
    documentos = p.locator("main section", has_text="Documentos").inner_text()
    assert "(XLSX)" in documentos and "(PDF)" in documentos and "Acta de entrega-recepción" in documentos
    _captura_alta(r, "transferencia-solicitada")

    # 4. the inventory XLSX, downloaded through the page's link: one row per expediente
    with p.expect_download() as descarga:
        r.clic(p.get_by_role("link", name=re.compile(r"\(XLSX\)")))
    assert descarga.value.suggested_filename.endswith(".xlsx"), descarga.value.suggested_filename
    hoja = load_workbook(io.BytesIO(Path(descarga.value.path()).read_bytes())).active
    codigos = [fila[1] for fila in hoja.iter_rows(values_only=True)]
    assert codigos.count(alfa.numero) == 1 and codigos.count(beta.numero) == 1 and gama.numero not in codigos
    clics_jefe = r.terminar()

    # the last fixity audit, for the archivist's panel
    call_command("fijeza_auditar", "--lote", "0", stdout=io.StringIO())

    # --- the archivista
    r = recorrido("archivo-archivista")
    p = r.pagina
    r.entrar("archivista")

    # 5. the home: one transfer waiting for the cotejo
    inicio = p.locator("main").inner_text()
    assert re.search(r"\b1\s*transferencias por cotejar", inicio), inicio
    r.captura("inicio")
    _archivo_menu(r, "Panel del archivo")
    assert "Última auditoría de integridad" in p.locator("main").inner_text()
    r.captura("panel-del-archivo")

    # 6. the transfer: cotejo item by item, cotejo ended, accepted
    r.clic("main a[href$='?estado=solicitada']")  # the figure «1 transferencias por cotejar»
    p.wait_for_load_state()
    r.clic(p.locator("main").get_by_role("link", name=transferencia.numero, exact=True))
    p.wait_for_load_state()
    fila = p.locator("main tr", has_text=alfa.numero)
    fila.locator("select[name=resultado]").select_option("conforme")
    r.clic(fila.get_by_role("button", name="Registrar"))
    p.wait_for_load_state()
    assert "Cotejo registrado." in r.mensajes(), r.mensajes()
    fila = p.locator("main tr", has_text=beta.numero)
    fila.locator("select[name=resultado]").select_option("rechazado")
    fila.locator("input[name=discrepancias]").fill("Faltan los folios 3 a 5 del original en papel.")
    r.captura("cotejo")
    r.clic(fila.get_by_role("button", name="Registrar"))
    p.wait_for_load_state()
    assert "Cotejo registrado." in r.mensajes(), r.mensajes()
    r.clic("form[action$='/revisar/'] button[type=submit]")
    p.wait_for_load_state()
    assert "Cotejo terminado." in r.mensajes(), r.mensajes()
    r.clic("form[action$='/aceptar/'] button[type=submit]")
    p.wait_for_load_state()
    assert "Transferencia aceptada" in r.mensajes(), r.mensajes()
    assert "Faltan los folios 3 a 5" in p.locator("main").inner_text()
    _captura_alta(r, "transferencia-aceptada")
    transferencia.refresh_from_db()
    assert transferencia.estado == EstadoTransferencia.ACEPTADA
    assert transferencia.items.get(expediente=beta).cotejo == ResultadoCotejo.RECHAZADO
    fases = dict(ExpedientePage.objects.filter(pk__in=[alfa.pk, beta.pk]).values_list("pk", "archivo_fase"))
    assert fases == {alfa.pk: FaseArchivo.CENTRAL, beta.pk: FaseArchivo.CERRADO}

    # 7. the TPCD, the contested cases, the fixity audits
    _archivo_menu(r, "Clasificación y TPCD")
    assert serie_por_defecto().codigo in p.locator("main").inner_text()
    r.captura("tpcd")
    _archivo_menu(r, "Procesos impugnados")
    r.captura("impugnados")
    _archivo_menu(r, "Auditorías de integridad")
    assert p.locator("main table.listing tbody tr").count() == 1  # the audit run above
    r.captura("fijeza")

    # 8. the unit's other expedientes stay out of sight: not listed, 404 by their URL
    respuesta = p.goto(f"{r.url}/admin/coactivas/expedientes/")
    if respuesta.status == 200:
        listado = p.locator("main").inner_text()
        assert gama.numero not in listado and alfa.numero in listado, listado
    respuesta = p.goto(f"{r.url}/admin/coactivas/expedientes/{gama.pk}/")
    assert respuesta.status == 404
    assert (clics_jefe, r.terminar()) == (13, 15)
