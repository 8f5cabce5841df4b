"""The reader (issue 12): one file version in the browser, opened at a page or at a folio of
its expediente, with the previous and next documents in folio order and the version's custody
facts. The bytes come from permisos.views.lector_contenido (checked and logged there); the
viewer is pdf.js, vendored at build time (scripts/estaticos.sh), never from a CDN."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from expedientes import lector
from expedientes.models import AdjuntoVersion
from permisos import auditoria, policies


def firma_resumen(version) -> str:
    """Part B's one-line summary of the signatures when it is there, else the status."""
    try:
        from expedientes.firmas import firma_resumen as resumen
    except ImportError:
        return version.get_firma_estado_display()
    return resumen(version)


def lector_url(version, pagina: int | None = None) -> str:
    url = reverse("lector", args=[version.uuid])
    return f"{url}?pagina={pagina}" if pagina else url


class LectorView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "expedientes/admin/lector.html"
    header_icon = "doc-full"

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        version = (AdjuntoVersion.objects.select_related("adjunto__actuacion", "subido_por", "firmante")
                   .filter(uuid=kwargs["uuid"]).first())
        if version is None:
            raise Http404
        if not policies.adjunto_version_puede_descargar(request.user, version):
            auditoria.custodia_registrar(accion=auditoria.ACCESO_DENEGADO, version=version,
                                         usuario=request.user, request=request)
            raise Http404  # as if it did not exist
        self.version = version
        self.pos = lector.posicion(version)
        abrir = lector.apertura(self.pos, pagina=request.GET.get("pagina"), folio=request.GET.get("folio"))
        if abrir.otra is not None:  # the folio is in another document of the same expediente
            return redirect(lector_url(abrir.otra.version, abrir.pagina))
        if abrir.aviso:
            messages.warning(request, abrir.aviso)
        self.pagina = abrir.pagina
        auditoria.lectura_registrar(version=version, request=request,
                                    datos={"pagina": self.pagina, "folio": self.pos.folio(self.pagina)})
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return f"Leer: {self.version.adjunto.titulo}"

    def get_page_subtitle(self):
        return self.version.nombre_original

    def get_breadcrumbs_items(self):
        expediente, actuacion = self.pos.expediente, self.version.adjunto.actuacion
        return self.breadcrumbs_items + [
            {"url": reverse("expedientes_listado"), "label": "Expedientes"},
            {"url": reverse("expedientes_proceso", args=[expediente.pk]), "label": expediente.title},
            {"url": reverse("expedientes_adjuntos", args=[actuacion.pk]), "label": actuacion.title},
            {"url": "", "label": f"Leer «{self.version.adjunto.titulo}»"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version, pos = self.version, self.pos
        rendicion = lector.rendicion_de(version) if version.tipo_mime not in (lector.PDF, *lector.IMAGENES) else None
        modo = lector.modo(version, rendicion)
        contenido_url = reverse("lector_contenido", args=[version.uuid])
        vecinos = {}
        for nombre, documento in (("anterior", pos.anterior), ("siguiente", pos.siguiente)):
            if documento is not None:
                vecinos[nombre] = {"documento": documento, "url": lector_url(documento.version)}
        context.update(
            version=version, adjunto=version.adjunto, actuacion=version.adjunto.actuacion, pos=pos,
            pagina=self.pagina, modo="pdf" if modo == "rendicion" else modo, rendicion=rendicion,
            vecinos=vecinos,
            vigente=pos.documento.version if pos.documento and not pos.vigente else None,
            firma=firma_resumen(version),
            contenido_url=contenido_url + ("?rendicion=1" if modo == "rendicion" else ""),
        )
        return context
