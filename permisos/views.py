"""Permission-checked file serving: the only way a stored byte leaves the system. The
store is never exposed (no public or presigned URL reaches the browser): the view asks the
policy, writes the custody log, then streams the exact S3 version."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from archivo.models import DocumentoArchivo
from expedientes.custodia import almacen
from expedientes.models import AdjuntoVersion, DossierInsolvencia, Pago, RendicionOCR

from . import auditoria, policies
from .custodia import Accion, registro_anotar

BLOQUE = 1024 * 1024
# A downloaded file must never run as a page of this site, even if a browser renders it.
CSP_DESCARGA = "default-src 'none'; sandbox; frame-ancestors 'none'"
# The reader's viewer fetches the bytes (pdf.js) or draws them in an <img>: neither reads the
# response's CSP, so the bytes keep the same sandbox as a download, shown inline.


def _bloques(cuerpo):
    try:
        yield from cuerpo.iter_chunks(BLOQUE)
    finally:
        cuerpo.close()


def version_servir(request, version):
    """The one way a stored version leaves: custody log, then exactly that S3 version as a
    download. The caller has asked its policy first. A version destroyed by a baja
    documental says so (410) instead of failing at the store."""
    if version.destruida_en:
        from archivo.selectors import baja_de_version

        return render(request, "permisos/version_destruida.html",
                      {"version": version, "item": baja_de_version(version)}, status=410)
    cuerpo = almacen.abrir(almacen.ObjetoAlmacenado(version.clave, version.version_s3))
    auditoria.custodia_registrar(
        accion=auditoria.DESCARGA, version=version, usuario=request.user, request=request
    )
    return _descarga(cuerpo, version)


def _descarga(cuerpo, archivo, *, en_linea: bool = False):
    """The response every stored file leaves with (`archivo`: any row with the custody
    fields: an attachment's version, an archive record). `en_linea`: for the reader."""
    respuesta = StreamingHttpResponse(_bloques(cuerpo), content_type=archivo.tipo_mime)
    respuesta["Content-Length"] = str(archivo.tamano)
    respuesta["Content-Disposition"] = content_disposition_header(
        as_attachment=not en_linea, filename=archivo.nombre_original
    )
    respuesta["X-Content-Type-Options"] = "nosniff"
    respuesta["Content-Security-Policy"] = CSP_DESCARGA
    respuesta["Cache-Control"] = "private, no-store"
    respuesta["X-Frame-Options"] = "DENY"
    if en_linea:
        # only this site's own pages may use the bytes (no other origin embeds or fetches them)
        respuesta["Cross-Origin-Resource-Policy"] = "same-origin"
    return respuesta


def _denegar(request, version):
    auditoria.custodia_registrar(
        accion=auditoria.ACCESO_DENEGADO, version=version, usuario=request.user, request=request
    )
    raise Http404  # as if it did not exist: no hint for someone guessing ids


def _version_permitida(request, uuid) -> AdjuntoVersion:
    """The file version `uuid` if the user may download it; else a logged 404, like a missing one."""
    version = AdjuntoVersion.objects.select_related("adjunto__actuacion").filter(uuid=uuid).first()
    if version is None:
        raise Http404
    if not policies.adjunto_version_puede_descargar(request.user, version):
        _denegar(request, version)
    return version


@require_GET
def adjunto_descargar(request, uuid):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return version_servir(request, _version_permitida(request, uuid))


@require_GET
def lector_contenido(request, uuid):
    """The bytes the reader shows (expedientes/views/lector.py): the same check as a download,
    shown inline with the download's restrictive headers; each one logged as a reading."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    version = _version_permitida(request, uuid)
    if version.destruida_en:
        return version_servir(request, version)  # its 410 page: the store holds nothing
    servido, datos = version, {"contenido": True}
    if request.GET.get("rendicion"):  # a TIFF scan is shown through its searchable PDF
        servido = RendicionOCR.objects.filter(version=version).first()
        if servido is None:
            raise Http404
        datos["rendicion_sha256"] = servido.sha256
    cuerpo = almacen.abrir(almacen.ObjetoAlmacenado(servido.clave, servido.version_s3))
    auditoria.lectura_registrar(version=version, request=request, datos=datos)
    return _descarga(cuerpo, servido, en_linea=True)


@require_GET
def comprobante_descargar(request, pago_id):
    """A payment's receipt as it was issued (services/pagos.py), for whoever may see the
    expediente; a payment without one, or one the user may not see, is a 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    pago = Pago.objects.select_related("comprobante__adjunto__actuacion").filter(pk=pago_id).first()
    if pago is None or pago.comprobante is None:
        raise Http404
    if not policies.adjunto_version_puede_descargar(request.user, pago.comprobante):
        _denegar(request, pago.comprobante)
    return version_servir(request, pago.comprobante)


@require_GET
def dossier_descargar(request, uuid):
    """The dossier's PDF, for whoever may see the dossier (Asesoría Jurídica included, which
    may not download it as an attachment of the expediente)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    dossier = (
        DossierInsolvencia.objects.select_related("version__adjunto__actuacion").filter(uuid=uuid).first()
    )
    if dossier is None:
        raise Http404
    if not policies.dossier_puede_ver(request.user, dossier):
        _denegar(request, dossier.version)
    return version_servir(request, dossier.version)


@require_GET
def documento_archivo_descargar(request, uuid):
    """A record of the archive (inventory, acta, manifest...), for who may read the
    archive's records; anyone else gets a 404, as for one that does not exist."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    documento = DocumentoArchivo.objects.filter(uuid=uuid).first()
    if documento is None:
        raise Http404
    objeto = f"Documento del archivo «{documento.titulo}» ({documento.nombre_original})"
    return documento_servir(request, documento, objeto=objeto,
                            permitido=policies.documento_archivo_puede_ver(request.user, documento))


def documento_servir(request, documento, *, objeto: str, permitido: bool):
    """A record held outside the expedientes (an archive record, a report issued by the
    unit: any row with the custody fields and a uuid): the refusal is logged and looks like
    a missing one (404); the download is logged, then the exact stored version streams."""
    datos = {"documento": str(documento.uuid), "tipo": documento.tipo, "nombre": documento.nombre_original,
             "tamano": documento.tamano}
    if not permitido:
        registro_anotar(accion=Accion.ACCESO_DENEGADO, request=request, objeto=objeto, datos=datos)
        raise Http404
    cuerpo = almacen.abrir(almacen.ObjetoAlmacenado(documento.clave, documento.version_s3))
    registro_anotar(accion=Accion.DESCARGA, request=request, objeto=objeto, sha256=documento.sha256, datos=datos)
    return _descarga(cuerpo, documento)
