"""Issue 7, point 13: office containers. ZIP-based office files (DOCX/XLSX/PPTX/ODT/ODS)
within stated limits, read from the central directory before storage; macros (VBA in
OOXML and OLE, XLM, ODF Basic/Scripts) refused or flagged, as CUSTODIA["MACROS"] says.
The test files are built here, minimal but real (libmagic sniffs each as its type)."""

import io
import random
import struct
import zipfile

import magic
import pytest
from django.template.loader import render_to_string

from expedientes.custodia import ArchivoRechazado
from expedientes.models import Adjunto, AdjuntoVersion
from expedientes.services.adjuntos import adjunto_crear

pytestmark = pytest.mark.servicios

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

_TIPOS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>{extra}\
<Override PartName="/{principal}" ContentType="{tipo}"/></Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/\
officeDocument" Target="{principal}"/></Relationships>"""
_DOCUMENTO = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\
<w:p><w:r><w:t>{texto}</w:t></w:r></w:p></w:body></w:document>"""
_LIBRO = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00Attribut\x00e VB_Name = \"Module1\"" * 20


def ooxml(*, libro=False, macros=False, extra=(), texto="Documento de prueba") -> io.BytesIO:
    """A minimal DOCX (or XLSX), optionally macro-enabled, with extra (name, bytes) parts."""
    if libro:
        principal = "xl/workbook.xml"
        tipo = "application/vnd.{}.main+xml".format(
            "ms-excel.sheet.macroEnabled" if macros
            else "openxmlformats-officedocument.spreadsheetml.sheet")
        cuerpo = _LIBRO
    else:
        principal = "word/document.xml"
        tipo = "application/vnd.{}.main+xml".format(
            "ms-word.document.macroEnabled" if macros
            else "openxmlformats-officedocument.wordprocessingml.document")
        cuerpo = _DOCUMENTO.format(texto=texto)
    vba = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    memoria = io.BytesIO()
    with zipfile.ZipFile(memoria, "w", zipfile.ZIP_DEFLATED) as archivo:
        archivo.writestr("[Content_Types].xml",
                         _TIPOS.format(extra=vba if macros else "", principal=principal, tipo=tipo))
        archivo.writestr("_rels/.rels", _RELS.format(principal=principal))
        archivo.writestr(principal, cuerpo)
        if macros:
            archivo.writestr(principal.split("/")[0] + "/vbaProject.bin", _VBA)
        for nombre, contenido in extra:
            archivo.writestr(nombre, contenido)
    memoria.seek(0)
    return memoria


def odt(*, extra=()) -> io.BytesIO:
    memoria = io.BytesIO()
    with zipfile.ZipFile(memoria, "w", zipfile.ZIP_DEFLATED) as archivo:
        archivo.writestr(zipfile.ZipInfo("mimetype"), ODT, compress_type=zipfile.ZIP_STORED)
        archivo.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest='
                         '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
        archivo.writestr("content.xml", "<office:document-content/>")
        for nombre, contenido in extra:
            archivo.writestr(nombre, contenido)
    memoria.seek(0)
    return memoria


FIN, LIBRE, FAT, NINGUNO = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def ole(arbol: dict) -> io.BytesIO:
    """A minimal OLE Compound File (CFB v3, 512-byte sectors) from {name: bytes | dict}: no
    maintained Python package writes one (olefile reads). Streams are padded to 4096
    bytes so none goes to the mini stream."""
    entradas = []  # [name, type, data, children_ids]

    def agregar(nombre, valor, tipo=None):
        indice = len(entradas)
        if isinstance(valor, dict):
            entradas.append([nombre, tipo or 1, b"", []])
            hijos = sorted(valor.items(), key=lambda kv: (len(kv[0]), kv[0].upper()))
            entradas[indice][3] = [agregar(n, v) for n, v in hijos]
        else:
            entradas.append([nombre, 2, valor.ljust(4096, b"\0"), []])
        return indice

    agregar("Root Entry", arbol, tipo=5)
    sectores_dir = -(-len(entradas) // 4)
    siguiente = 1 + sectores_dir
    cadena = [FAT] + [i + 2 if i + 1 < sectores_dir else FIN for i in range(sectores_dir)]
    inicio, datos = {}, b""
    for i, (_n, tipo, contenido, _h) in enumerate(entradas):
        if tipo == 2:
            n = len(contenido) // 512
            inicio[i] = siguiente
            cadena += [siguiente + k + 1 for k in range(n - 1)] + [FIN]
            siguiente += n
            datos += contenido
    assert len(cadena) <= 128
    derecho = {}
    for _n, _t, _c, hijos in entradas:
        for a, b in zip(hijos, hijos[1:]):
            derecho[a] = b
    directorio = b""
    for i, (nombre, tipo, contenido, hijos) in enumerate(entradas):
        codificado = (nombre + "\0").encode("utf-16-le")
        directorio += struct.pack(
            "<64sHBBIII16sIQQIQ", codificado, len(codificado), tipo, 1, NINGUNO,
            derecho.get(i, NINGUNO), hijos[0] if hijos else NINGUNO, b"\0" * 16, 0, 0, 0,
            inicio.get(i, FIN if tipo == 5 else 0), len(contenido))
    vacia = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NINGUNO, NINGUNO, NINGUNO,
                        b"\0" * 16, 0, 0, 0, 0, 0)
    directorio += vacia * (sectores_dir * 4 - len(entradas))
    cabecera = struct.pack("<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("d0cf11e0a1b11ae1"), b"\0" * 16,
                           0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, 1, 1, 0, 4096, FIN, 0, FIN, 0)
    cabecera += struct.pack("<109I", 0, *[LIBRE] * 108)
    tabla = struct.pack(f"<{len(cadena)}I", *cadena) + struct.pack("<I", LIBRE) * (128 - len(cadena))
    return io.BytesIO(cabecera + tabla + directorio + datos)


def _doc(macros: bool) -> io.BytesIO:
    arbol = {"WordDocument": b"\xec\xa5\xc1\x00" + b"Texto del escrito" * 10}
    if macros:
        arbol["Macros"] = {"PROJECT": b'Module=Module1\r\n',
                           "VBA": {"dir": b"\x01", "Module1": b"\x00Attribut\x00e VB_Name = \"Module1\""}}
    return ole(arbol)


def _subir(actuacion, usuarios, flujo, nombre):
    return adjunto_crear(actuacion=actuacion, titulo="Escrito", flujo=flujo, nombre=nombre,
                         usuario=usuarios["secretaria"])


def _sin_rastro(versiones_en_bucket, antes):
    assert versiones_en_bucket() == antes
    assert not Adjunto.objects.exists() and not AdjuntoVersion.objects.exists()


def test_los_archivos_de_prueba_son_del_tipo_que_dicen():
    for flujo, tipo in [(ooxml(), DOCX), (ooxml(macros=True), DOCX), (ooxml(libro=True), XLSX),
                        (ooxml(libro=True, macros=True), XLSX), (odt(), ODT),
                        (_doc(False), "application/msword"), (_doc(True), "application/msword")]:
        assert magic.from_buffer(flujo.getvalue(), mime=True) == tipo


@pytest.mark.parametrize("flujo, nombre, tipo", [
    (ooxml(), "escrito.docx", DOCX),
    (ooxml(libro=True), "liquidacion.xlsx", XLSX),
    (odt(extra=[("Basic/script-lc.xml", "<library:libraries/>")]), "acta.odt", ODT),
    (_doc(False), "antiguo.doc", "application/msword"),
], ids=["docx", "xlsx", "odt-biblioteca-vacia", "doc"])
def test_documentos_de_oficina_normales_pasan(actuacion, usuarios, flujo, nombre, tipo,
                                                versiones_en_bucket):
    version = _subir(actuacion, usuarios, flujo, nombre)
    assert version.tipo_mime == tipo and not version.macros
    assert (version.clave, version.version_s3) in versiones_en_bucket()


@pytest.mark.parametrize("limite, extra, codigo, texto", [
    ({"OFIMATICA_ENTRADAS_MAXIMAS": 40},
     [(f"word/media/parte{i}.xml", f"<p>{i}</p>") for i in range(50)],
     "contenedor_excede_entradas", "contiene 53 partes internas y el máximo permitido es 40"),
    ({"OFIMATICA_DESCOMPRIMIDO_MAXIMO": 2 * 1024 * 1024, "OFIMATICA_PROPORCION_MAXIMA": 10**6},
     [("word/media/relleno.xml", b"<a/>" * (1024 * 1024))],
     "contenedor_excede_tamano", "supera el máximo permitido (2,0\xa0MB)"),
    ({},  # defaults: 50 MiB of zeros deflate to ~50 KB, a ratio of ~1000
     [("word/media/bomba.bin", bytes(50 * 1024 * 1024))],
     "contenedor_excede_proporcion", "bomba de descompresión"),
], ids=["entradas", "descomprimido", "proporcion"])
def test_contenedor_fuera_de_limites_se_rechaza_antes_de_guardar(
        actuacion, usuarios, limites, versiones_en_bucket, limite, extra, codigo, texto):
    limites(**limite)
    antes = versiones_en_bucket()
    with pytest.raises(ArchivoRechazado) as rechazo:
        _subir(actuacion, usuarios, ooxml(extra=extra), "escrito.docx")
    assert rechazo.value.codigo == codigo
    assert "«escrito.docx»" in rechazo.value.mensaje and texto in rechazo.value.mensaje
    _sin_rastro(versiones_en_bucket, antes)


def test_entradas_superpuestas_se_rechazan(actuacion, usuarios, versiones_en_bucket):
    """Several central-directory records pointing at the same compressed bytes (the trick
    of non-recursive zip bombs): their compressed sizes add up to more than the file."""
    parte = "word/media/imagen.bin"
    datos = ooxml(extra=[(parte, random.Random(13).randbytes(200_000))]).getvalue()
    fin = datos.rindex(b"PK\x05\x06")  # end of central directory record
    inicio = struct.unpack("<I", datos[fin + 16:fin + 20])[0]
    directorio = datos[inicio:fin]
    registro = directorio[directorio.index(parte.encode()) - 46:][:46 + len(parte)]
    copias = 3
    directorio += registro * copias
    cola = bytearray(datos[fin:fin + 22])
    total = struct.unpack("<H", cola[10:12])[0] + copias
    cola[8:16] = struct.pack("<HHI", total, total, len(directorio))
    alterado = datos[:inicio] + directorio + bytes(cola)
    with zipfile.ZipFile(io.BytesIO(alterado)) as archivo:  # still a readable ZIP
        assert len(archivo.infolist()) == total
    antes = versiones_en_bucket()
    with pytest.raises(ArchivoRechazado) as rechazo:
        _subir(actuacion, usuarios, io.BytesIO(alterado), "escrito.docx")
    assert rechazo.value.codigo == "contenedor_danado"
    _sin_rastro(versiones_en_bucket, antes)


CON_MACROS = [
    (lambda: ooxml(macros=True), "informe.docm"),
    (lambda: ooxml(libro=True, macros=True), "calculo.xlsm"),
    # vbaProject.bin in a file named and typed as a plain .xlsx
    (lambda: ooxml(libro=True, extra=[("xl/vbaProject.bin", _VBA)]), "calculo.xlsx"),
    (lambda: odt(extra=[("Basic/Standard/Module1.xml", "<script:module>Sub Main</script:module>"),
                        ("Basic/script-lc.xml", "<library:libraries/>")]), "acta.odt"),
    (lambda: odt(extra=[("Scripts/python/macro.py", "import os")]), "acta.odt"),
    (lambda: _doc(True), "antiguo.doc"),
]
IDS_MACROS = ["docm", "xlsm", "xlsx-con-vbaproject", "odt-basic", "odt-scripts", "doc-ole-vba"]


@pytest.mark.parametrize("fabricar, nombre", CON_MACROS, ids=IDS_MACROS)
def test_macros_se_rechazan_por_omision(actuacion, usuarios, versiones_en_bucket, fabricar, nombre):
    antes = versiones_en_bucket()
    with pytest.raises(ArchivoRechazado) as rechazo:
        _subir(actuacion, usuarios, fabricar(), nombre)
    assert rechazo.value.codigo == "macros"
    assert f"El archivo «{nombre}» contiene macros y no se guardó" in rechazo.value.mensaje
    _sin_rastro(versiones_en_bucket, antes)


@pytest.mark.parametrize("fabricar, nombre", [CON_MACROS[0], CON_MACROS[3], CON_MACROS[5]],
                         ids=["docm", "odt-basic", "doc-ole-vba"])
def test_macros_marcadas_se_guardan_con_aviso(actuacion, usuarios, limites, versiones_en_bucket,
                                              fabricar, nombre):
    limites(MACROS="marcar")
    version = _subir(actuacion, usuarios, fabricar(), nombre)
    version.refresh_from_db()
    assert version.macros is True
    assert (version.clave, version.version_s3) in versiones_en_bucket()
    tabla = render_to_string("expedientes/includes/versiones_tabla.html", {"adjunto": version.adjunto})
    assert "Contiene macros" in tabla

    limpio = _subir(actuacion, usuarios, ooxml(), "limpio.docx")
    assert limpio.macros is False
    tabla = render_to_string("expedientes/includes/versiones_tabla.html", {"adjunto": limpio.adjunto})
    assert "Contiene macros" not in tabla


def test_politica_desconocida_rechaza(actuacion, usuarios, limites):
    limites(MACROS="permitir")  # not a policy: fail closed
    with pytest.raises(ArchivoRechazado) as rechazo:
        _subir(actuacion, usuarios, ooxml(macros=True), "informe.docm")
    assert rechazo.value.codigo == "macros"
