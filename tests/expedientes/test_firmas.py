"""Electronic signatures (issue 12, part B): certificates and signed PDFs are generated here,
never real ones. The pure reader first (expedientes.firmas), then the background service
through real S3 and clamd, then the process screen."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from expedientes.firmas import FirmaIlegible, estado_documento, firma_resumen, firmas_leer
from expedientes.models.adjunto import EstadoFirma

CEDULA = "1712345678"


# --- certificates and PDFs made in the test ------------------------------------------------

def _certificado(sujeto, emisor, clave_publica, clave_emisor, *, ca, extensiones=(), desde=None, hasta=None):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    ahora = datetime.now(UTC)
    constructor = (
        x509.CertificateBuilder().subject_name(sujeto).issuer_name(emisor).public_key(clave_publica)
        .serial_number(x509.random_serial_number())
        .not_valid_before(desde or ahora - timedelta(days=1)).not_valid_after(hasta or ahora + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=not ca, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
        ), critical=True)
    )
    for extension in extensiones:
        constructor = constructor.add_extension(extension, critical=False)
    return constructor.sign(clave_emisor, hashes.SHA256())


class Autoridad:
    """A test certification authority that issues signers the way the Ecuadorian ones do:
    the holder's cédula in the Banco Central's private extension (DER UTF8String)."""

    def __init__(self, nombre="AC DE PRUEBA"):
        from cryptography import x509
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        self.clave = ec.generate_private_key(ec.SECP256R1())
        self.nombre = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, nombre),
                                 x509.NameAttribute(NameOID.COUNTRY_NAME, "EC")])
        self.certificado = _certificado(self.nombre, self.nombre, self.clave.public_key(), self.clave, ca=True)

    @property
    def der(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return self.certificado.public_bytes(serialization.Encoding.DER)

    def raiz(self):
        from asn1crypto import x509 as ax509

        return ax509.Certificate.load(self.der)

    def firmante(self, nombre="MARÍA JOSÉ PÉREZ LÓPEZ", cedula=CEDULA, serie_sujeto=None, oid="1.3.6.1.4.1.37947.3.1",
                 desde=None, hasta=None):
        from asn1crypto import core, keys
        from asn1crypto import x509 as ax509
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID, ObjectIdentifier
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        clave = ec.generate_private_key(ec.SECP256R1())
        atributos = [x509.NameAttribute(NameOID.COMMON_NAME, nombre)]
        if serie_sujeto:
            atributos.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serie_sujeto))
        extensiones = [x509.UnrecognizedExtension(ObjectIdentifier(oid), core.UTF8String(cedula).dump())] if cedula else []
        certificado = _certificado(x509.Name(atributos), self.nombre, clave.public_key(), self.clave, ca=False,
                                   extensiones=extensiones, desde=desde, hasta=hasta)
        return signers.SimpleSigner(
            signing_cert=ax509.Certificate.load(certificado.public_bytes(serialization.Encoding.DER)),
            signing_key=keys.PrivateKeyInfo.load(clave.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
            cert_registry=SimpleCertificateStore.from_certs([self.raiz()]),
        )


    def sellador(self, momento):
        """A time-stamping authority under this CA whose tokens say `momento` (pyHanko's test stamper)."""
        from asn1crypto import keys
        from asn1crypto import x509 as ax509
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        clave = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test stamper is RSA-only
        certificado = (
            x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA DE PRUEBA")]))
            .issuer_name(self.nombre).public_key(clave.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(momento - timedelta(days=365)).not_valid_after(datetime.now(UTC) + timedelta(days=365))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(self.clave, hashes.SHA256())
        )
        return DummyTimeStamper(
            tsa_cert=ax509.Certificate.load(certificado.public_bytes(serialization.Encoding.DER)),
            tsa_key=keys.PrivateKeyInfo.load(clave.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
            certs_to_embed=[self.raiz()], fixed_dt=momento,
        )


def pdf_con_texto(texto="Auto de pago", *, clave=None) -> bytes:
    """A one-page PDF whose page really draws `texto` (so a tampered byte changes what is shown)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    escritor = PdfWriter()
    pagina = escritor.add_blank_page(612, 792)
    contenido = DecodedStreamObject()
    contenido.set_data(f"BT /F1 18 Tf 72 720 Td ({texto}) Tj ET".encode("latin-1"))
    pagina[NameObject("/Contents")] = escritor._add_object(contenido)
    fuente = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                               NameObject("/BaseFont"): NameObject("/Helvetica")})
    pagina[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): escritor._add_object(fuente)})})
    if clave:
        escritor.encrypt(clave)
    salida = io.BytesIO()
    escritor.write(salida)
    return salida.getvalue()


def firmar(contenido: bytes, firmante, campo="Firma1", sellador=None) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    salida = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(contenido)),
                              signers.PdfSignatureMetadata(field_name=campo), signer=firmante, timestamper=sellador)
    return salida.getvalue()


def anadir_despues(contenido: bytes, texto="PAGADO") -> bytes:
    """An incremental update after signing that draws something new on the signed page."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    escritor = IncrementalPdfFileWriter(io.BytesIO(contenido))
    flujo = escritor.add_object(generic.StreamObject(stream_data=f"BT /F1 30 Tf 72 400 Td ({texto}) Tj ET".encode()))
    escritor.add_stream_to_page(0, flujo)
    salida = io.BytesIO()
    escritor.write(salida)
    return salida.getvalue()


@pytest.fixture(scope="module")
def autoridad():
    return Autoridad()


@pytest.fixture(scope="module")
def firmado(autoridad):
    return firmar(pdf_con_texto(), autoridad.firmante())


# --- the pure reader -------------------------------------------------------------------------

def test_pdf_firmado_verifica_y_dice_quien_y_cuando(firmado):
    antes = datetime.now(UTC)
    [firma] = firmas_leer(firmado)
    assert firma.estado == EstadoFirma.VALIDA
    assert firma.integra and firma.cobertura == "todo" and firma.cambios == "ninguno"
    assert firma.firmante == "MARÍA JOSÉ PÉREZ LÓPEZ" and firma.cedula == CEDULA
    assert firma.emisor == "AC DE PRUEBA" and firma.campo == "Firma1"
    assert firma.hora_fuente == "declarada"
    assert antes - timedelta(minutes=10) < datetime.fromisoformat(firma.firmado_en) <= antes + timedelta(minutes=1)
    # no authorities configured: integrity verified, the certificate is not vouched for
    assert firma.confianza == "sin_autoridad" and firma.vigente_al_firmar is True
    assert estado_documento([firma]) == EstadoFirma.VALIDA


def test_copia_manipulada_no_verifica(firmado):
    manipulado = firmado.replace(b"(Auto de pago)", b"(Auto de paga)")
    assert manipulado != firmado
    [firma] = firmas_leer(manipulado)
    assert not firma.integra
    assert firma.estado == EstadoFirma.INVALIDA


def test_modificado_despues_de_firmar_es_alterada(firmado):
    [firma] = firmas_leer(anadir_despues(firmado))
    assert firma.integra  # what was signed is intact...
    assert firma.cobertura == "revision" and firma.cambios == "no_permitidos"  # ...but the file changed after
    assert firma.estado == EstadoFirma.ALTERADA


def test_segunda_firma_no_altera_la_primera(autoridad, firmado):
    otro = autoridad.firmante(nombre="JUAN CARLOS ANDRADE", cedula="0102030405", oid="1.3.6.1.4.1.37746.3.1")
    primera, segunda = firmas_leer(firmar(firmado, otro, campo="Firma2"))
    assert primera.cambios == "permitidos" and primera.estado == EstadoFirma.VALIDA
    assert segunda.cambios == "ninguno" and segunda.cedula == "0102030405"
    assert estado_documento([primera, segunda]) == EstadoFirma.VALIDA


def test_pdf_sin_firma():
    assert firmas_leer(pdf_con_texto()) == []
    assert estado_documento([]) == EstadoFirma.SIN_FIRMA


@pytest.mark.parametrize("contenido", [b"", b"no es un pdf", b"%PDF-1.7\n\xff\xfe basura sin estructura"])
def test_pdf_danado_da_un_motivo_en_espanol(contenido):
    with pytest.raises(FirmaIlegible) as error:
        firmas_leer(contenido)
    assert "PDF" in str(error.value)


def test_pdf_truncado(firmado):
    with pytest.raises(FirmaIlegible, match="dañado"):
        firmas_leer(firmado[: len(firmado) // 2])


def test_pdf_con_contrasena():
    with pytest.raises(FirmaIlegible, match="protegido con contraseña"):
        firmas_leer(pdf_con_texto(clave="secreta"))


def test_autoridad_configurada_reconoce_o_no_el_certificado(autoridad, firmado):
    [confiable] = firmas_leer(firmado, raices=[autoridad.raiz()])
    assert confiable.confianza == "confiable" and confiable.estado == EstadoFirma.VALIDA
    [ajena] = firmas_leer(firmado, raices=[Autoridad("OTRA AC").raiz()])
    assert ajena.confianza == "no_confiable" and "autoridad reconocida" in ajena.confianza_detalle
    assert ajena.estado == EstadoFirma.VALIDA  # integrity holds; the summary says who vouches


def test_sello_de_tiempo_fecha_la_firma_de_un_certificado_ya_caducado(autoridad):
    ahora = datetime.now(UTC)
    hace_cien_dias = (ahora - timedelta(days=100)).replace(microsecond=0)
    caducado = autoridad.firmante(desde=ahora - timedelta(days=400), hasta=ahora - timedelta(days=30))
    contenido = firmar(pdf_con_texto(), caducado, sellador=autoridad.sellador(hace_cien_dias))
    [firma] = firmas_leer(contenido, raices=[autoridad.raiz()])
    assert firma.hora_fuente == "sello" and datetime.fromisoformat(firma.firmado_en) == hace_cien_dias
    assert firma.vigente_al_firmar is True and firma.integra and firma.estado == EstadoFirma.VALIDA
    # the chain is checked at the trusted timestamp's time: the authority vouches for it
    assert firma.confianza == "confiable" and "hoy caducado" in firma.confianza_detalle
    # without the timestamp, the same expired certificate is not vouched for today
    [sin_sello] = firmas_leer(firmar(pdf_con_texto(), caducado), raices=[autoridad.raiz()])
    assert sin_sello.hora_fuente == "declarada" and sin_sello.vigente_al_firmar is False
    assert sin_sello.confianza == "no_confiable" and "caducado" in sin_sello.confianza_detalle


def test_cedula_en_el_numero_de_serie_del_sujeto(autoridad):
    [firma] = firmas_leer(firmar(pdf_con_texto(), autoridad.firmante(cedula="", serie_sujeto="IDCEC-0912345675")))
    assert firma.cedula == "0912345675"


def test_raices_desde_archivos_pem_y_der(tmp_path, autoridad):
    from cryptography.hazmat.primitives import serialization

    from expedientes.firmas import raices_cargar

    (tmp_path / "ac.pem").write_bytes(autoridad.certificado.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "ac.der").write_bytes(autoridad.der)
    assert [r.sha256 for r in raices_cargar([tmp_path])] == [autoridad.raiz().sha256] * 2


# --- the service, through real S3 and clamd ---------------------------------------------------

def _subir(actuacion, usuario, contenido, nombre="auto.pdf", titulo=None):
    from expedientes.services.adjuntos import adjunto_crear

    return adjunto_crear(actuacion=actuacion, titulo=titulo or nombre, flujo=io.BytesIO(contenido),
                         nombre=nombre, usuario=usuario)


@pytest.mark.django_db
def test_servicio_verifica_la_version_guardada_y_es_idempotente(actuacion, usuarios, firmado):
    from expedientes.services.firmas import version_firmas_verificar

    version = _subir(actuacion, usuarios["secretaria"], firmado)
    assert version.firma_estado == EstadoFirma.PENDIENTE
    version_firmas_verificar(version_id=version.pk)
    version.refresh_from_db()
    assert version.firma_estado == EstadoFirma.VALIDA
    [firma] = version.firma_detalle["firmas"]
    assert firma["firmante"] == "MARÍA JOSÉ PÉREZ LÓPEZ" and firma["cedula"] == CEDULA
    assert version.firma_detalle["autoridades"] == 0 and "pyHanko" in version.firma_detalle["motor"]
    resumen = firma_resumen(version)
    assert resumen.startswith("Firmado por MARÍA JOSÉ PÉREZ LÓPEZ (C.I. 1712345678), ")
    assert "no verificado contra una autoridad" in resumen

    from permisos.models import RegistroCustodia

    entrada = RegistroCustodia.objects.filter(accion=RegistroCustodia.Accion.FIRMA).latest("secuencia")
    assert entrada.usuario_nombre == "firmas" and entrada.sha256 == version.sha256
    assert entrada.objeto.endswith(": Firma íntegra")
    assert entrada.datos["firmantes"][0]["cedula"] == CEDULA and entrada.datos["estado"] == EstadoFirma.VALIDA

    version_firmas_verificar(version_id=version.pk)  # a retried job: same facts, a second entry
    version.refresh_from_db()
    assert version.firma_estado == EstadoFirma.VALIDA and len(version.firma_detalle["firmas"]) == 1
    assert RegistroCustodia.objects.filter(accion=RegistroCustodia.Accion.FIRMA).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("caso, estado, frase", [
    ("manipulado", EstadoFirma.INVALIDA, "el contenido no coincide con lo firmado"),
    ("alterado", EstadoFirma.ALTERADA, "cambió después de esta firma"),
    ("sin_firma", EstadoFirma.SIN_FIRMA, "Sin firma electrónica"),
    ("contrasena", EstadoFirma.ERROR, "protegido con contraseña"),
])
def test_servicio_registra_cada_caso(actuacion, usuarios, firmado, caso, estado, frase):
    from expedientes.services.firmas import version_firmas_verificar

    contenido = {
        "manipulado": lambda: firmado.replace(b"(Auto de pago)", b"(Auto de paga)"),
        "alterado": lambda: anadir_despues(firmado),
        "sin_firma": pdf_con_texto,
        "contrasena": lambda: pdf_con_texto(clave="secreta"),
    }[caso]()
    version = _subir(actuacion, usuarios["secretaria"], contenido)
    version_firmas_verificar(version_id=version.pk)
    version.refresh_from_db()
    assert version.firma_estado == estado
    assert frase in firma_resumen(version)


@pytest.mark.django_db
def test_servicio_autoridades_configuradas(actuacion, usuarios, firmado, autoridad, tmp_path, settings):
    from expedientes.services.firmas import version_firmas_verificar

    (tmp_path / "ac.der").write_bytes(autoridad.der)
    settings.FIRMAS = {"RAICES": [str(tmp_path / "ac.der")]}
    version = _subir(actuacion, usuarios["secretaria"], firmado)
    version_firmas_verificar(version_id=version.pk)
    version.refresh_from_db()
    assert version.firma_detalle["firmas"][0]["confianza"] == "confiable"
    assert version.firma_detalle["autoridades"] == 1
    assert "autoridad" not in firma_resumen(version)


@pytest.mark.django_db
def test_servicio_no_pdf_no_aplica(actuacion, usuarios):
    from PIL import Image

    from expedientes.services.firmas import version_firmas_verificar

    imagen = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(imagen, format="PNG")
    version = _subir(actuacion, usuarios["secretaria"], imagen.getvalue(), nombre="foto.png")
    version_firmas_verificar(version_id=version.pk)
    version.refresh_from_db()
    assert version.firma_estado == EstadoFirma.NO_APLICA


# --- the screens ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_la_ficha_del_proceso_y_las_versiones_muestran_la_firma(client, actuacion, expediente, usuarios, firmado):
    from expedientes.services.firmas import version_firmas_verificar

    version = _subir(actuacion, usuarios["secretaria"], firmado, titulo="Auto de pago firmado")
    manipulada = _subir(actuacion, usuarios["secretaria"], firmado.replace(b"(Auto de pago)", b"(Auto de paga)"),
                        titulo="Copia manipulada")
    for v in (version, manipulada):
        version_firmas_verificar(version_id=v.pk)
    client.force_login(usuarios["abogado"])
    ficha = client.get(reverse("expedientes_proceso", args=[expediente.pk])).content.decode()
    assert "Firma íntegra" in ficha and "Firma no válida" in ficha
    assert "MARÍA JOSÉ PÉREZ LÓPEZ (C.I. 1712345678)" in ficha
    versiones = client.get(reverse("expedientes_adjuntos", args=[actuacion.pk])).content.decode()
    assert "Firma electrónica" in versiones and "Firma íntegra" in versiones
    assert "el contenido no coincide con lo firmado" in versiones


@pytest.mark.django_db
def test_comando_verifica_los_pendientes(actuacion, usuarios, firmado):
    from django.core.management import call_command

    firmada = _subir(actuacion, usuarios["secretaria"], firmado)
    sin_firma = _subir(actuacion, usuarios["secretaria"], pdf_con_texto(), nombre="otro.pdf")
    salida = io.StringIO()
    call_command("firmas_verificar", stdout=salida)
    firmada.refresh_from_db()
    sin_firma.refresh_from_db()
    assert (firmada.firma_estado, sin_firma.firma_estado) == (EstadoFirma.VALIDA, EstadoFirma.SIN_FIRMA)
    assert "2 versiones verificadas" in salida.getvalue()
    otra = io.StringIO()
    call_command("firmas_verificar", stdout=otra)  # nothing pending left: resumes where it stopped
    assert "0 versiones verificadas" in otra.getvalue()
