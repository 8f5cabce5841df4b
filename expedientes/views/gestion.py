"""The annual management report's screen: choose the year, read the figures, download the
DOCX (which the unit edits before signing) or the PDF, and issue it (jefe, secretaría). Who
cannot read reports gets a 404. Each view parses, calls one service, responds."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from expedientes.custodia import ArchivoRechazado
from expedientes.informes import gestion
from expedientes.informes.emision import puede_emitir

VER = "expedientes.ver_informes"
TIPOS = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
PRIMER_ANIO = 2009  # the unit's matrices start in 2009 (DOMAIN.md)


def _anios() -> list[int]:
    return list(range(timezone.localdate().year, PRIMER_ANIO - 1, -1))


def _anio(request) -> int:
    """The year asked (?anio=), by default the last closed one; anything else is a 404."""
    texto = request.GET.get("anio") or request.POST.get("anio") or str(timezone.localdate().year - 1)
    if not texto.isdigit() or int(texto) not in _anios():
        raise Http404("Año no disponible.")
    return int(texto)


def _verificar(request):
    if not request.user.has_perm(VER):
        raise Http404


class GestionView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "expedientes/admin/informes_gestion.html"
    page_title = "Informe de gestión"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        _verificar(request)
        self.anio = _anio(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.anio)

    def get_context_data(self, **kwargs):
        cifras = gestion.gestion_cifras(self.anio, self.request.user)
        return super().get_context_data(anio=self.anio, anios=_anios(), puede_emitir=puede_emitir(self.request.user),
                                        **gestion.gestion_contexto(cifras), **kwargs)

    def post(self, request, *args, **kwargs):
        if not puede_emitir(request.user):
            raise Http404
        try:
            emitido = gestion.gestion_emitir(anio=self.anio, usuario=request.user,
                                             motivo=request.POST.get("motivo", ""))
        except (ValidationError, PermissionDenied) as error:
            mensajes = getattr(error, "messages", None) or [str(error)]
            messages.error(request, " ".join(mensajes))
        except ArchivoRechazado as rechazo:
            messages.error(request, rechazo.mensaje)
        else:
            messages.success(request, f"{emitido.titulo}: versión {emitido.version} emitida y guardada en custodia "
                                      f"(SHA-256 {emitido.pdf.sha256[:12]}…).")
        return redirect(f"{reverse('informes_gestion')}?anio={self.anio}")


def gestion_descargar(request, formato):
    _verificar(request)
    if formato not in TIPOS:
        raise Http404
    anio = _anio(request)
    cifras = gestion.gestion_cifras(anio, request.user)
    datos = gestion.gestion_pdf(cifras) if formato == "pdf" else gestion.gestion_docx(cifras)
    respuesta = HttpResponse(datos, content_type=TIPOS[formato])
    respuesta["Content-Disposition"] = f'attachment; filename="informe-de-gestion-{anio}.{formato}"'
    return respuesta
