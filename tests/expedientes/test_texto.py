"""The text of every page (issue 12, expedientes/services/texto.py), through the real store,
clamd, PostgreSQL, OCRmyPDF and Debian's tesseract-ocr-spa. The scans are generated
(portal/demo_escaneos.py) and kept to one or two pages: OCR is slow on a shared machine."""

import hashlib
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader, PdfWriter

from expedientes.custodia import almacen
from expedientes.custodia.conciliacion import custodia_conciliar
from expedientes.models import EstadoTexto, OrigenTexto, PaginaTexto, RendicionOCR
from expedientes.services.adjuntos import adjunto_crear
from expedientes.services.texto import TEMPORAL, version_texto_extraer
from permisos.custodia import Accion
from permisos.models import RegistroCustodia
from portal.demo_escaneos import imagen_escaneada, pdf_escaneado, precision_palabras

pytestmark = pytest.mark.servicios

ESCANEO = ("Providencia de notificación al coactivado: la resolución del crédito tributario "
           "número once fue dictada en Cuenca por la dirección regional del ministerio. "
           "Cúmplase y notifíquese a la compañía deudora en el término de ocho días.").split()


def _subir(actuacion, usuarios, contenido: bytes, nombre: str):
    return adjunto_crear(actuacion=actuacion, titulo=nombre, flujo=io.BytesIO(contenido), nombre=nombre,
                         usuario=usuarios["secretaria"])


def _leer(objeto) -> bytes:
    cuerpo = almacen.abrir(almacen.ObjetoAlmacenado(objeto.clave, objeto.version_s3))
    try:
        return cuerpo.read()
    finally:
        cuerpo.close()


def _pdf_nativo(*textos: str) -> bytes:
    from weasyprint import HTML

    paginas = "".join(f'<p style="page-break-after: always">{t}</p>' for t in textos)
    return HTML(string=f"<html><body>{paginas}</body></html>").write_pdf()


def _pdf_unir(*partes: bytes) -> bytes:
    escritor = PdfWriter()
    for parte in partes:
        for pagina in PdfReader(io.BytesIO(parte)).pages:
            escritor.add_page(pagina)
    salida = io.BytesIO()
    escritor.write(salida)
    return salida.getvalue()


def _paginas(version):
    return list(PaginaTexto.objects.filter(version=version).order_by("numero").values_list("numero", "texto", "origen"))


def test_pdf_escaneado_recibe_su_texto_por_ocr_y_su_pdf_con_texto_en_custodia(
        actuacion, usuarios, versiones_en_bucket, django_capture_on_commit_callbacks):
    contenido = pdf_escaneado([ESCANEO])
    version = _subir(actuacion, usuarios, contenido, "escaneo.pdf")

    version_texto_extraer(version_id=version.pk)

    version.refresh_from_db()
    assert version.texto_estado == EstadoTexto.OCR and version.paginas == 1
    assert "Texto reconocido (OCR) en 1 de 1 páginas" in version.texto_detalle
    [(numero, texto, origen)] = _paginas(version)
    assert numero == 1 and origen == OrigenTexto.OCR
    for palabra in ("notificación", "resolución", "crédito", "compañía", "Cúmplase", "notifíquese", "días"):
        assert palabra in texto
    assert precision_palabras(ESCANEO, texto) >= 0.95
    assert PaginaTexto.objects.get(version=version).expediente_id == actuacion.get_parent().pk

    # the original is untouched; the searchable PDF is a new object in custody with its own hash
    assert _leer(version) == contenido
    rendicion = RendicionOCR.objects.get(version=version)
    derivado = _leer(rendicion)
    assert hashlib.sha256(derivado).hexdigest() == rendicion.sha256 != version.sha256
    assert rendicion.tipo_mime == "application/pdf" and rendicion.antivirus_resultado
    assert "notificación" in PdfReader(io.BytesIO(derivado)).pages[0].extract_text()
    assert rendicion.motor.startswith("ocrmypdf ") and "tesseract" in rendicion.motor
    entrada = RegistroCustodia.objects.filter(accion=Accion.TEXTO).latest("secuencia")
    assert entrada.sha256 == rendicion.sha256 and entrada.datos["version_uuid"] == str(version.uuid)
    assert entrada.datos["estado"] == EstadoTexto.OCR and entrada.expediente_id == actuacion.get_parent().pk

    # the reconciliation knows the rendition: not an orphan
    assert (rendicion.clave, rendicion.version_s3) not in {
        (o.clave, o.version_s3) for o in custodia_conciliar(gracia=timedelta(0)).huerfanas}

    # a second run (the queue delivers at least once) replaces, never doubles
    anterior = (rendicion.clave, rendicion.version_s3)
    with django_capture_on_commit_callbacks(execute=True):
        version_texto_extraer(version_id=version.pk)
    assert len(_paginas(version)) == 1 and RendicionOCR.objects.filter(version=version).count() == 1
    nueva = RendicionOCR.objects.get(version=version)
    assert (nueva.clave, nueva.version_s3) != anterior
    assert anterior not in versiones_en_bucket()  # the replaced rendition's object is gone


def test_pdf_nativo_conserva_su_texto_sin_ocr(actuacion, usuarios):
    version = _subir(actuacion, usuarios, _pdf_nativo("Primera página: liquidación del crédito.",
                                                      "Segunda página: notificación al señor Núñez."),
                     "nativo.pdf")

    version_texto_extraer(version_id=version.pk)

    version.refresh_from_db()
    assert version.texto_estado == EstadoTexto.NATIVO and version.paginas == 2
    paginas = _paginas(version)
    assert [(n, o) for n, _, o in paginas] == [(1, OrigenTexto.NATIVO), (2, OrigenTexto.NATIVO)]
    assert "liquidación del crédito" in paginas[0][1] and "señor Núñez" in paginas[1][1]
    assert not RendicionOCR.objects.filter(version=version).exists()


def test_pdf_mixto_ocr_solo_en_las_paginas_sin_texto(actuacion, usuarios):
    contenido = _pdf_unir(_pdf_nativo("Razón: el expediente consta de fojas útiles."), pdf_escaneado([ESCANEO]))
    version = _subir(actuacion, usuarios, contenido, "mixto.pdf")

    version_texto_extraer(version_id=version.pk)

    version.refresh_from_db()
    assert version.texto_estado == EstadoTexto.OCR and version.paginas == 2
    (_, propio, origen1), (_, reconocido, origen2) = _paginas(version)
    assert (origen1, origen2) == (OrigenTexto.NATIVO, OrigenTexto.OCR)
    assert "fojas útiles" in propio and "notificación" in reconocido
    assert "1 con texto propio" in version.texto_detalle


def test_imagen_escaneada_y_imagen_sin_texto(actuacion, usuarios):
    con_texto = _subir(actuacion, usuarios, imagen_escaneada(ESCANEO, formato="PNG"), "foto.png")
    vacia = _subir(actuacion, usuarios, imagen_escaneada([], formato="JPEG", inclinacion=0), "blanco.jpg")

    version_texto_extraer(version_id=con_texto.pk)
    version_texto_extraer(version_id=vacia.pk)

    con_texto.refresh_from_db()
    vacia.refresh_from_db()
    assert con_texto.texto_estado == EstadoTexto.OCR and "crédito" in _paginas(con_texto)[0][1]
    assert RendicionOCR.objects.filter(version=con_texto).exists()
    assert vacia.texto_estado == EstadoTexto.SIN_TEXTO and vacia.paginas == 1
    assert "no encontró texto legible" in vacia.texto_detalle
    assert not RendicionOCR.objects.filter(version=vacia).exists()


def test_pdf_con_contrasena_danado_o_demasiado_largo_dice_por_que(actuacion, usuarios, settings):
    escritor = PdfWriter(clone_from=io.BytesIO(_pdf_nativo("Documento reservado")))
    escritor.encrypt(user_password="secreta", owner_password="dueño", algorithm="AES-256")
    cifrado = io.BytesIO()
    escritor.write(cifrado)
    protegido = _subir(actuacion, usuarios, cifrado.getvalue(), "protegido.pdf")
    danado = _subir(actuacion, usuarios, b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 9 0 R>>\n" + b"\x8f" * 300,
                    "danado.pdf")
    largo = PdfWriter()
    for _ in range(500):
        largo.add_blank_page(width=595, height=842)
    salida = io.BytesIO()
    largo.write(salida)
    quinientas = _subir(actuacion, usuarios, salida.getvalue(), "quinientas.pdf")
    settings.TEXTO = {**settings.TEXTO, "PAGINAS_MAXIMAS": 100}

    for version in (protegido, danado, quinientas):
        version_texto_extraer(version_id=version.pk)  # no exception: the worker moves on
        version.refresh_from_db()
        assert version.texto_estado == EstadoTexto.FALLIDO and not version.texto_detalle.startswith(TEMPORAL)
        assert not PaginaTexto.objects.filter(version=version).exists()
    assert "protegido con contraseña" in protegido.texto_detalle
    assert "dañado" in danado.texto_detalle
    assert "500 páginas" in quinientas.texto_detalle and "hasta 100 páginas" in quinientas.texto_detalle
    assert quinientas.paginas == 500
    # the reason is shown where the file's versions are listed
    from django.template.loader import render_to_string

    tabla = render_to_string("expedientes/includes/versiones_tabla.html", {"adjunto": protegido.adjunto})
    assert "No se pudo leer" in tabla and "protegido con contraseña" in tabla
    assert RegistroCustodia.objects.filter(accion=Accion.TEXTO, datos__estado=EstadoTexto.FALLIDO).count() == 3


def test_falla_del_almacen_queda_registrada_y_se_reintenta(actuacion, usuarios, monkeypatch):
    version = _subir(actuacion, usuarios, _pdf_nativo("Texto"), "a.pdf")

    def caido(objeto):
        raise ConnectionError("el almacén no responde")

    monkeypatch.setattr(almacen, "abrir", caido)
    with pytest.raises(ConnectionError):
        version_texto_extraer(version_id=version.pk)
    version.refresh_from_db()
    assert version.texto_estado == EstadoTexto.FALLIDO and version.texto_detalle.startswith(TEMPORAL)

    monkeypatch.undo()
    version_texto_extraer(version_id=version.pk)
    version.refresh_from_db()
    assert version.texto_estado == EstadoTexto.NATIVO


def test_otro_tipo_no_aplica(actuacion, usuarios):
    from docx import Document

    documento = io.BytesIO()
    Document().save(documento)
    version = _subir(actuacion, usuarios, documento.getvalue(), "escrito.docx")
    version_texto_extraer(version_id=version.pk)
    version.refresh_from_db()
    assert version.texto_estado == EstadoTexto.NO_APLICA and not PaginaTexto.objects.filter(version=version).exists()


def test_comando_textos_extraer_avanza_y_reanuda(actuacion, usuarios):
    from io import StringIO

    from django.core.management import call_command
    from docx import Document

    from expedientes.models import AdjuntoVersion

    primera = _subir(actuacion, usuarios, _pdf_nativo("Auto de pago del título de crédito."), "auto.pdf")
    segunda = _subir(actuacion, usuarios, _pdf_nativo("Oficio de retención a la institución financiera."),
                     "oficio.pdf")
    documento = io.BytesIO()
    Document().save(documento)
    escrito = _subir(actuacion, usuarios, documento.getvalue(), "escrito.docx")
    # an earlier run was killed while reading the second one
    AdjuntoVersion.objects.filter(pk=segunda.pk).update(texto_estado=EstadoTexto.EN_CURSO)

    salida = StringIO()
    call_command("textos_extraer", "--limite", "5", stdout=salida)
    primera.refresh_from_db()
    segunda.refresh_from_db()
    escrito.refresh_from_db()
    assert primera.texto_estado == EstadoTexto.NATIVO and escrito.texto_estado == EstadoTexto.NO_APLICA
    assert segunda.texto_estado == EstadoTexto.EN_CURSO  # not without --reanudar: a worker may hold it
    assert "1 versiones por leer" in salida.getvalue() and "1/1 versiones, 1 páginas" in salida.getvalue()

    salida = StringIO()
    call_command("textos_extraer", "--reanudar", stdout=salida)
    segunda.refresh_from_db()
    assert segunda.texto_estado == EstadoTexto.NATIVO and "oficio" in " ".join(t for _, t, _ in _paginas(segunda)).lower()
    assert "1 versiones por leer (reanudando)" in salida.getvalue()
    assert "Texto propio del documento: 1" in salida.getvalue()


def test_version_destruida_mientras_se_lee_no_guarda_nada(actuacion, usuarios, monkeypatch):
    from django.utils import timezone

    from expedientes.models import AdjuntoVersion
    from expedientes.services import texto as servicio

    version = _subir(actuacion, usuarios, _pdf_nativo("Texto que la baja destruye"), "baja.pdf")
    leer = servicio.leer

    def leer_y_destruir(*args, **kwargs):  # a baja documental executes meanwhile
        lectura = leer(*args, **kwargs)
        AdjuntoVersion.objects.filter(pk=version.pk).update(destruida_en=timezone.now())
        return lectura

    monkeypatch.setattr(servicio, "leer", leer_y_destruir)
    version_texto_extraer(version_id=version.pk)
    assert not PaginaTexto.objects.filter(version=version).exists()
    monkeypatch.undo()
    version_texto_extraer(version_id=version.pk)
    version.refresh_from_db()
    assert version.texto_estado == EstadoTexto.FALLIDO and "baja documental" in version.texto_detalle
