"""Electronic signatures in a PDF (PAdES, e.g. FirmaEC): who signed, when, whether the bytes
still match what was signed and whether anything was appended afterwards. Pure: bytes in,
facts out; no database, no network. The background service (expedientes/services/firmas.py)
stores the result on the version; the screens show `firma_resumen(version)`.

pyHanko (kept, the reference PAdES validator in Python) does the verification. Trust: only the
roots configured in settings.FIRMAS["RAICES"]; no fetching of CRL/OCSP or intermediate
certificates at run time (nothing leaves the machine), and never the operating system's store:
with no roots configured the signer's certificate is reported as not checked against an
authority."""

import io
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from expedientes.models.adjunto import EstadoFirma


class FirmaIlegible(Exception):
    """The file cannot be read at all (corrupt, password-protected...): a Spanish reason."""


# Where the Ecuadorian certification authorities put the cédula/pasaporte of the holder: a
# private extension (value a DER string, or raw text for some). Known arcs first; any other
# private extension ending in .3.1 is tried after them (the same layout the others follow).
OIDS_CEDULA = {
    "1.3.6.1.4.1.37947.3.1": "Banco Central del Ecuador",
    "1.3.6.1.4.1.37746.3.1": "Security Data",
    "1.3.6.1.4.1.43745.1.3.1": "Consejo de la Judicatura",
    "1.3.6.1.4.1.18332.3.1": "ANF AC Ecuador",
    "1.3.6.1.4.1.47286.102.3.1": "Uanataca",
    "1.3.6.1.4.1.57153.102.3.1": "Eclipsoft",
    "1.3.6.1.4.1.61305.3.1": "FirmaSegura",
}
_OID_PRIVADO_CEDULA = re.compile(r"^1\.3\.6\.1\.4\.1\.\d+(?:\.1|\.102)?\.3\.1$")
# subject serialNumber: bare ("1712345678") or ETSI EN 319 412-1 style ("IDCEC-1712345678")
_NUMERO_SUJETO = re.compile(r"^(?:[A-Z]{3}[A-Z]{2}-)?([A-Z0-9]{5,20})$")


@dataclass(frozen=True)
class FirmaLeida:
    campo: str                    # the signature field's name in the PDF
    firmante: str                 # holder's name (certificate subject)
    cedula: str                   # "" when the certificate does not carry it
    emisor: str                   # the issuing authority (certificate issuer)
    certificado_serie: str
    certificado_desde: str        # ISO datetimes (JSON-friendly: stored as is)
    certificado_hasta: str
    firmado_en: str               # "" when the signature declares no time
    hora_fuente: str              # "sello" (a timestamp token) | "declarada" (the signer's own) | ""
    integra: bool                 # the signed bytes match and the signature value verifies
    cobertura: str                # "todo" | "revision" (later revisions appended) | "parcial"
    cambios: str                  # after signing: "ninguno" | "permitidos" (e.g. another signature) | "no_permitidos"
    confianza: str                # "confiable" | "no_confiable" | "revocado" | "sin_autoridad"
    confianza_detalle: str        # Spanish
    vigente_al_firmar: bool | None
    problema: str = ""            # Spanish, when this signature cannot be verified at all

    @property
    def estado(self) -> str:
        if self.problema:
            return EstadoFirma.ERROR
        if not self.integra or self.confianza == "revocado":
            return EstadoFirma.INVALIDA
        if self.cobertura == "parcial" or self.cambios == "no_permitidos":
            return EstadoFirma.ALTERADA
        return EstadoFirma.VALIDA

    def como_dict(self) -> dict:
        return {**asdict(self), "estado": str(self.estado)}


def estado_documento(firmas: list[FirmaLeida]) -> str:
    """The document's state from its signatures: the worst one decides."""
    if not firmas:
        return EstadoFirma.SIN_FIRMA
    estados = {f.estado for f in firmas}
    for peor in (EstadoFirma.INVALIDA, EstadoFirma.ALTERADA, EstadoFirma.ERROR):
        if peor in estados:
            return peor
    return EstadoFirma.VALIDA


def raices_cargar(rutas) -> list:
    """Trust roots from PEM or DER files (a directory: every .pem/.crt/.cer/.der in it), as
    asn1crypto certificates. A missing or unreadable file raises: a misconfigured trust list
    must not silently turn into "no authority"."""
    from asn1crypto import pem
    from asn1crypto import x509 as ax509

    archivos = []
    for ruta in map(Path, rutas or ()):
        if ruta.is_dir():
            archivos += sorted(p for p in ruta.iterdir() if p.suffix.lower() in {".pem", ".crt", ".cer", ".der"})
        else:
            archivos.append(ruta)
    raices = []
    for archivo in archivos:
        datos = archivo.read_bytes()
        if pem.detect(datos):
            raices += [ax509.Certificate.load(der) for _tipo, _cab, der in pem.unarmor(datos, multiple=True)]
        else:
            raices.append(ax509.Certificate.load(datos))
    return raices


def _texto_extension(valor: bytes) -> str:
    from asn1crypto import core

    try:
        nativo = core.load(valor).native
        if isinstance(nativo, bytes):
            nativo = nativo.decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - some authorities store raw text, not DER
        nativo = valor.decode("utf-8", "replace")
    return str(nativo or "").strip().strip("\x00")


def cedula_del_certificado(certificado) -> str:
    """The holder's cédula/pasaporte (or RUC): the Ecuadorian authorities' private extension,
    else the subject serialNumber. "" when the certificate carries neither."""
    extensiones = {e["extn_id"].dotted: e["extn_value"].contents
                   for e in certificado["tbs_certificate"]["extensions"] or []}
    candidatos = [o for o in OIDS_CEDULA if o in extensiones]
    candidatos += sorted(o for o in extensiones if o not in OIDS_CEDULA and _OID_PRIVADO_CEDULA.match(o))
    for oid in candidatos:
        texto = re.sub(r"\s+", "", _texto_extension(extensiones[oid])).upper()
        if re.fullmatch(r"[A-Z0-9-]{5,20}", texto):
            return texto
    serie = (certificado.subject.native.get("serial_number") or "").strip().upper()
    coincide = _NUMERO_SUJETO.match(serie)
    return coincide.group(1) if coincide else ""


def _nombre(nombre) -> str:
    datos = nombre.native
    if datos.get("common_name"):
        cn = datos["common_name"]
        return cn if isinstance(cn, str) else " ".join(cn)
    return nombre.human_friendly


def _iso(momento: datetime | None) -> str:
    return momento.isoformat() if momento else ""


def _contexto(raices, momento=None):
    from pyhanko_certvalidator import ValidationContext

    # trust_roots=[] (not None): None would fall back to the OS store. No fetching: nothing
    # leaves the machine; revocation then counts only if the file itself carries it.
    return ValidationContext(trust_roots=list(raices), allow_fetching=False, revocation_mode="soft-fail",
                             moment=momento)


def _firma_leer(embebida, raices) -> FirmaLeida:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature

    certificado = embebida.signer_cert
    validez = certificado["tbs_certificate"]["validity"]
    desde, hasta = validez["not_before"].native, validez["not_after"].native
    base = {
        "campo": str(embebida.field_name or ""), "firmante": _nombre(certificado.subject),
        "cedula": cedula_del_certificado(certificado), "emisor": _nombre(certificado.issuer),
        "certificado_serie": format(certificado.serial_number, "X"),
        "certificado_desde": _iso(desde), "certificado_hasta": _iso(hasta),
    }
    estado = validate_pdf_signature(embebida, _contexto(raices), _contexto(raices))

    sello = estado.timestamp_validity
    if sello is not None and sello.intact and sello.valid:
        firmado_en, fuente = sello.timestamp, "sello"
    elif estado.signer_reported_dt:
        firmado_en, fuente = estado.signer_reported_dt, "declarada"
    else:
        firmado_en, fuente = None, ""

    if estado.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        cobertura = "todo"
    elif estado.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        cobertura = "revision"
    else:
        cobertura = "parcial"
    nivel = estado.modification_level
    if nivel == ModificationLevel.NONE:
        cambios = "ninguno"
    elif estado.docmdp_ok and nivel is not None and nivel != ModificationLevel.OTHER:
        cambios = "permitidos"
    else:
        cambios = "no_permitidos"

    confianza = ""
    if estado.revoked:
        confianza, detalle = "revocado", "El certificado del firmante fue revocado."
    elif not raices:
        confianza, detalle = "sin_autoridad", "Certificado no verificado contra una autoridad (no hay autoridades configuradas)."
    elif estado.trusted:
        confianza, detalle = "confiable", "Certificado emitido por una autoridad reconocida."
    else:
        indicacion = getattr(estado.trust_problem_indic, "name", "") or ""
        caducado = "EXPIRED" in indicacion or "OUT_OF_BOUNDS" in indicacion
        if caducado and fuente == "sello" and sello.trusted and _confiable_en(embebida, raices, firmado_en):
            # a trusted timestamp proves the signature existed while the certificate was valid
            confianza, detalle = "confiable", ("Certificado emitido por una autoridad reconocida, vigente en la "
                                               "fecha del sello de tiempo (hoy caducado).")
        elif caducado:
            detalle = "El certificado del firmante está caducado hoy."
        elif "CHAIN" in indicacion:
            detalle = "El certificado no proviene de una autoridad reconocida."
        else:
            detalle = f"El certificado no pudo validarse ({indicacion or 'motivo no indicado'})."
        if confianza != "confiable":
            confianza = "no_confiable"

    vigente = None
    if firmado_en is not None and desde and hasta:
        vigente = desde <= firmado_en <= hasta
    return FirmaLeida(
        **base, firmado_en=_iso(firmado_en), hora_fuente=fuente,
        integra=bool(estado.intact and estado.valid), cobertura=cobertura, cambios=cambios,
        confianza=confianza, confianza_detalle=detalle, vigente_al_firmar=vigente,
    )


def _confiable_en(embebida, raices, momento) -> bool:
    """The signer's chain validated at `momento` (the trusted timestamp's time), not today."""
    from pyhanko.sign.validation import validate_pdf_signature

    try:
        return validate_pdf_signature(embebida, _contexto(raices, momento), _contexto(raices)).trusted
    except Exception:  # noqa: BLE001 - a second opinion only; the first one stands
        return False


def firmas_leer(contenido: bytes, *, raices=()) -> list[FirmaLeida]:
    """Every signature of the PDF (document timestamps aside), in the order they were applied.
    Raises FirmaIlegible (Spanish reason) when the file cannot be read; a signature that
    cannot be verified (damaged, unsupported format) comes back with `problema` set."""
    from pyhanko.pdf_utils.crypt import AuthStatus
    from pyhanko.pdf_utils.reader import PdfFileReader

    if contenido.find(b"%PDF-", 0, 1024) < 0:
        raise FirmaIlegible("El archivo no es un PDF.")
    try:
        lector = PdfFileReader(io.BytesIO(contenido))
        if lector.encrypted and lector.decrypt("").status == AuthStatus.FAILED:
            raise FirmaIlegible("El PDF está protegido con contraseña: no se pueden leer sus firmas.")
        embebidas = [e for e in lector.embedded_signatures if e.sig_object_type == "/Sig"]
    except FirmaIlegible:
        raise
    except Exception as exc:  # hostile input: any parser failure means "damaged"
        raise FirmaIlegible(f"El PDF está dañado o no se puede leer ({_motivo(exc)}).") from exc

    firmas = []
    for embebida in embebidas:
        try:
            firmas.append(_firma_leer(embebida, raices))
        except Exception as exc:  # noqa: BLE001 - one damaged signature must not hide the others
            firmas.append(_firma_ilegible(embebida, exc))
    return firmas


def _motivo(exc: Exception) -> str:
    texto = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return texto[:200]


def _firma_ilegible(embebida, exc) -> FirmaLeida:
    try:
        certificado = embebida.signer_cert
        firmante, emisor = _nombre(certificado.subject), _nombre(certificado.issuer)
        cedula = cedula_del_certificado(certificado)
    except Exception:  # noqa: BLE001 - the CMS itself may be what is broken
        firmante = emisor = cedula = ""
    try:
        campo = str(embebida.field_name or "")
    except Exception:  # noqa: BLE001 - the field dictionary may be broken too
        campo = ""
    return FirmaLeida(
        campo=campo, firmante=firmante, cedula=cedula, emisor=emisor, certificado_serie="",
        certificado_desde="", certificado_hasta="", firmado_en="", hora_fuente="", integra=False,
        cobertura="parcial", cambios="no_permitidos", confianza="no_confiable", confianza_detalle="",
        vigente_al_firmar=None,
        problema=f"La firma está dañada o usa un formato no reconocido ({_motivo(exc)}).",
    )


# --- what the screens show -------------------------------------------------------------------

def _fecha(iso: str) -> str:
    if not iso:
        return ""
    try:
        momento = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    if timezone.is_aware(momento):
        momento = timezone.localtime(momento)
    return momento.strftime("%d/%m/%Y %H:%M")


def _quien(firma: dict) -> str:
    quien = firma.get("firmante") or "firmante desconocido"
    if firma.get("cedula"):
        quien += f" (C.I. {firma['cedula']})"
    return quien


def firma_resumen(version) -> str:
    """One Spanish line for the file lists and the reader: the state, who signed and when."""
    estado = version.firma_estado
    detalle = version.firma_detalle or {}
    firmas = detalle.get("firmas") or []
    if estado in (EstadoFirma.PENDIENTE, EstadoFirma.NO_APLICA, EstadoFirma.SIN_FIRMA):
        return str(EstadoFirma(estado).label)
    if estado == EstadoFirma.ERROR and not firmas:
        return f"No se pudo verificar la firma: {detalle.get('error') or 'motivo no registrado'}"
    partes = []
    for firma in firmas:
        texto = _quien(firma)
        cuando = _fecha(firma.get("firmado_en", ""))
        if cuando:
            texto += f", {cuando}" + (" (sello de tiempo)" if firma.get("hora_fuente") == "sello" else "")
        if firma.get("estado") == EstadoFirma.INVALIDA:
            texto += " — firma no válida" + (" (certificado revocado)" if firma.get("confianza") == "revocado"
                                            else ": el contenido no coincide con lo firmado")
        elif firma.get("estado") == EstadoFirma.ALTERADA:
            texto += " — el documento cambió después de esta firma"
        elif firma.get("estado") == EstadoFirma.ERROR:
            texto += f" — {firma.get('problema')}"
        elif firma.get("vigente_al_firmar") is False:
            texto += " — el certificado no estaba vigente en esa fecha"
        partes.append(texto)
    encabezado = {
        EstadoFirma.VALIDA: "Firmado por",
        EstadoFirma.ALTERADA: "Modificado después de firmar. Firmas de",
        EstadoFirma.INVALIDA: "Firma no válida. Firmas de",
        EstadoFirma.ERROR: "No se pudo verificar la firma de",
    }.get(estado, "Firmas de")
    texto = f"{encabezado} {'; '.join(partes)}."
    confianzas = {f.get("confianza") for f in firmas}
    if estado == EstadoFirma.VALIDA:
        if "sin_autoridad" in confianzas:
            texto += " Certificado no verificado contra una autoridad."
        elif "no_confiable" in confianzas:
            texto += " Certificado no reconocido por las autoridades configuradas."
    return texto
