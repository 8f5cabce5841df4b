"""Issuing a report freezes it: its files go through the custody pipeline (type, antivirus,
SHA-256, versioned store), the row keeps the headline figures as they were, and issuing the
same report again (same product, period and province) makes version n + 1 with the reason.
An issued report is never recomputed in place: whoever reads it later reads these bytes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from expedientes.custodia import custodiar_varios
from expedientes.informes.base import Parametros
from expedientes.models import DocumentoUnidad, InformeEmitido, TipoDocumentoUnidad
from permisos.custodia import Accion, registro_anotar

EMITIR = "expedientes.emitir_informe"
TIPOS = {"pdf": TipoDocumentoUnidad.INFORME_PDF, "xlsx": TipoDocumentoUnidad.INFORME_XLSX,
         "docx": TipoDocumentoUnidad.INFORME_DOCX}


def puede_emitir(usuario) -> bool:
    return bool(usuario and usuario.is_active and usuario.has_perm(EMITIR))


def _version_siguiente(clave: str, parametros: Parametros) -> int:
    ultima = InformeEmitido.objects.filter(
        clave=clave, desde=parametros.periodo.desde, hasta=parametros.periodo.hasta,
        provincia=parametros.provincia).aggregate(v=Max("version"))["v"]
    return (ultima or 0) + 1


def emision_registrar(*, clave: str, titulo: str, parametros: Parametros, cifras: dict, usuario,
                      archivos: dict[str, tuple[str, bytes]], motivo: str = "",
                      presentacion: list | None = None) -> InformeEmitido:
    """Take the rendered files of a report into custody and record the issue.

    `archivos`: {"pdf": (name, bytes), "xlsx": (...), "docx": (...)}; the PDF is required.
    `presentacion`: the figures as shown ([clave, label, value as written]), for the screen of
    the issued report.
    Render everything before calling: no lock is held while the antivirus and the store
    answer. A second issue of the same report needs `motivo` (why it is issued again)."""
    if not puede_emitir(usuario):
        raise PermissionDenied("No tiene permiso para emitir informes.")
    if "pdf" not in archivos or set(archivos) - set(TIPOS):
        raise ValueError("emision_registrar: hace falta el PDF, y solo pdf, xlsx y docx.")
    motivo = (motivo or "").strip()
    if _version_siguiente(clave, parametros) > 1 and not motivo:
        raise ValidationError({"motivo": "Este informe ya fue emitido: indique por qué se emite una nueva versión."})
    formatos = sorted(archivos, key=lambda f: -len(archivos[f][1]))  # the largest first (custodiar_varios)

    def registrar(custodiados) -> InformeEmitido:
        with transaction.atomic():
            documentos = {
                formato: DocumentoUnidad.objects.create(
                    tipo=TIPOS[formato], titulo=f"{titulo} ({formato.upper()})", creado_por=usuario,
                    **custodiado.campos())
                for formato, custodiado in zip(formatos, custodiados)
            }
            version = _version_siguiente(clave, parametros)
            if version > 1 and not motivo:
                raise ValidationError({"motivo": "Este informe acaba de ser emitido por otra persona: "
                                                 "indique por qué se emite una nueva versión."})
            try:
                with transaction.atomic():  # a concurrent issue of the same version: the constraint says so
                    emitido = InformeEmitido.objects.create(
                        clave=clave, titulo=titulo, desde=parametros.periodo.desde, hasta=parametros.periodo.hasta,
                        provincia=parametros.provincia, parametros=parametros.a_dict(), version=version,
                        cifras=cifras, presentacion=presentacion or [], motivo=motivo, emitido_por=usuario, emitido_en=timezone.now(),
                        pdf=documentos["pdf"], xlsx=documentos.get("xlsx"), docx=documentos.get("docx"))
            except IntegrityError:
                raise ValidationError("Otra persona emitió este informe en este momento; vuelva a intentarlo.") from None
            registro_anotar(accion=Accion.INFORME, usuario=usuario, objeto=f"{titulo} v{version}",
                            sha256=documentos["pdf"].sha256,
                            datos={"informe": clave, "version": version, "parametros": parametros.a_dict(),
                                   "cifras": cifras, "motivo": motivo,
                                   "archivos": {f: d.sha256 for f, d in documentos.items()}})
            return emitido

    return custodiar_varios([(archivos[f][1], archivos[f][0]) for f in formatos], registrar)


def informe_emitir(*, clave: str, parametros: Parametros, usuario, motivo: str = "") -> InformeEmitido:
    """Compute the report over what `usuario` sees, render its PDF and XLSX (no lock held),
    then freeze them with emision_registrar. Refused early (before the costly render) when
    the user may not issue or a new version lacks its reason; emision_registrar checks both
    again on the fresh rows."""
    from expedientes.informes.base import informe_calcular
    from expedientes.informes.exportar import Pie, informe_pdf, informe_xlsx, nombre_archivo, titulo_completo

    if not puede_emitir(usuario):
        raise PermissionDenied("No tiene permiso para emitir informes.")
    version = _version_siguiente(clave, parametros)
    if version > 1 and not (motivo or "").strip():
        raise ValidationError({"motivo": "Este informe ya fue emitido: indique por qué se emite una nueva versión."})
    resultado = informe_calcular(clave=clave, parametros=parametros, usuario=usuario)
    pie = Pie(usuario=usuario, instante=timezone.now(), emitido=True, version=version)
    nombre = f"{nombre_archivo(resultado)}-v{version}"
    archivos = {"pdf": (f"{nombre}.pdf", informe_pdf(resultado, pie=pie)),
                "xlsx": (f"{nombre}.xlsx", informe_xlsx(resultado, pie=pie))}
    return emision_registrar(clave=clave, titulo=titulo_completo(resultado), parametros=parametros,
                             cifras=resultado.cifras_a_dict(), presentacion=resultado.cifras_presentar(),
                             usuario=usuario, archivos=archivos, motivo=motivo)


# Who may download a record of the unit (the permission-checked view informes_documento)
_PERMISO_DOCUMENTO = {TipoDocumentoUnidad.INFORME_PDF: "expedientes.view_informeemitido",
                      TipoDocumentoUnidad.INFORME_XLSX: "expedientes.view_informeemitido",
                      TipoDocumentoUnidad.INFORME_DOCX: "expedientes.view_informeemitido",
                      TipoDocumentoUnidad.MATRIZ_IMPORTADA: "expedientes.importar_matriz"}


def documento_unidad_puede_descargar(usuario, documento: DocumentoUnidad) -> bool:
    permiso = _PERMISO_DOCUMENTO.get(documento.tipo)
    return bool(usuario and usuario.is_active and permiso and usuario.has_perm(permiso))
