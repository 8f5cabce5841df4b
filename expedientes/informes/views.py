"""The reports' screens: one screen, one drill-down, one export and one issuing form for
every product (expedientes/informes/base.py). Everything a report reads comes through
`informe_calcular` → `expedientes_del_informe` (an abogado sees only theirs, in every figure,
list and file). Without `expedientes.ver_informes` every view answers 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from expedientes.informes import graficos
from expedientes.informes.base import informe_calcular, informe_obtener, informes
from expedientes.informes.emision import documento_unidad_puede_descargar, informe_emitir, puede_emitir
from expedientes.informes.exportar import (informe_exportar, periodo_etiqueta, provincia_etiqueta, tabla_filas,
                                           usuario_nombre)
from expedientes.informes.forms import ParametrosForm, consulta_de
from expedientes.models import DocumentoUnidad, InformeEmitido, Provincia
from permisos.views import documento_servir

VER = "expedientes.ver_informes"
VER_EMITIDOS = "expedientes.view_informeemitido"
POR_PAGINA = 50


def _exigir(usuario, *permisos):
    """A user without the permission is told nothing: as if the page did not exist."""
    if not (usuario.is_active and all(usuario.has_perm(p) for p in permisos)):
        raise Http404


class _InformesMixin(WagtailAdminTemplateMixin):
    header_icon = "table"
    permisos = (VER,)

    def dispatch(self, request, *args, **kwargs):
        _exigir(request.user, *self.permisos)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse("informes_indice"), "label": "Informes"}]


class IndiceView(_InformesMixin, TemplateView):
    template_name = "expedientes/informes/indice.html"
    page_title = "Informes"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": "Informes"}]

    def get_context_data(self, **kwargs):
        from expedientes.informes.hooks.marco import items_de_otras_partes

        return super().get_context_data(informes=informes(), ve_emitidos=self.request.user.has_perm(VER_EMITIDOS),
                                        otros=items_de_otras_partes(self.request), **kwargs)


class _ConParametrosMixin(_InformesMixin):
    """The product of the URL, its parameters from the query string, its result."""

    def dispatch(self, request, *args, **kwargs):
        _exigir(request.user, *self.permisos)
        self.informe = informe_obtener(kwargs["clave"])
        self.form = ParametrosForm.de_consulta(request.GET, a_fecha=self.informe.a_fecha)
        self.resultado = None
        if self.form.is_valid():
            self.resultado = informe_calcular(clave=self.informe.clave, parametros=self.form.parametros,
                                              usuario=request.user)
        return super().dispatch(request, *args, **kwargs)

    def consulta(self) -> str:
        if self.resultado is None:
            return self.request.GET.urlencode()
        return urlencode(consulta_de(self.form.parametros, a_fecha=self.informe.a_fecha))


class InformeView(_ConParametrosMixin, TemplateView):
    template_name = "expedientes/informes/informe.html"

    def get_page_title(self):
        return self.informe.titulo

    def get_page_subtitle(self):
        return periodo_etiqueta(self.resultado) if self.resultado else ""

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.informe.titulo}]

    def get_context_data(self, **kwargs):
        contexto = super().get_context_data(informe=self.informe, form=self.form, resultado=self.resultado,
                                            consulta=self.consulta(), **kwargs)
        if self.resultado is None:
            return contexto
        r = self.resultado
        consulta = self.consulta()

        def enlace(cifra):
            if cifra is None or cifra.expedientes is None:
                return ""
            return f"{reverse('informes_cifra', args=[self.informe.clave, cifra.clave])}?{consulta}"

        secciones = []
        for s in r.secciones:
            filas = tabla_filas(s.columnas, s.filas)
            for fila in filas:
                for celda in fila:
                    celda["url"] = enlace(celda["cifra"])
            secciones.append({"seccion": s, "columnas": s.columnas, "filas": filas,
                              "grafico": graficos.de_seccion(s, enlace=enlace)})
        detalle = pagina = None
        if r.detalle is not None:
            pagina = Paginator(r.detalle.filas, POR_PAGINA).get_page(self.request.GET.get("p"))
            detalle = {"titulo": r.detalle.titulo, "columnas": r.detalle.columnas,
                       "filas": tabla_filas(r.detalle.columnas, pagina.object_list)}
        emitidos = InformeEmitido.objects.filter(
            clave=self.informe.clave, desde=r.parametros.periodo.desde, hasta=r.parametros.periodo.hasta,
            provincia=r.parametros.provincia).order_by("-version")
        ve_emitidos = self.request.user.has_perm(VER_EMITIDOS)
        contexto.update(
            cifras=[{"cifra": c, "url": enlace(c)} for c in r.cifras], secciones=secciones, detalle=detalle,
            pagina=pagina, periodo=periodo_etiqueta(r), provincia=provincia_etiqueta(r),
            puede_emitir=puede_emitir(self.request.user),
            emitidos=list(emitidos[:10]) if ve_emitidos else [],
            ya_emitido=emitidos.exists() if (ve_emitidos or puede_emitir(self.request.user)) else False,
        )
        return contexto


class CifraView(_ConParametrosMixin, TemplateView):
    """The expedientes behind one figure: its count is the figure (for counts)."""

    template_name = "expedientes/informes/cifra.html"

    def get(self, request, *args, **kwargs):
        if self.resultado is None:  # a hand-edited link: the report's screen says what is wrong
            return _volver(request, self.informe.clave)
        try:
            self.cifra = self.resultado.cifra(kwargs["cifra"])
        except KeyError:
            raise Http404 from None
        if self.cifra.expedientes is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return self.cifra.etiqueta

    def get_page_subtitle(self):
        return f"{self.informe.titulo} · {periodo_etiqueta(self.resultado)}"

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": f"{reverse('informes_informe', args=[self.informe.clave])}?{self.consulta()}",
             "label": self.informe.titulo},
            {"url": "", "label": self.cifra.etiqueta}]

    def get_context_data(self, **kwargs):
        kwargs.pop("cifra", None)  # the URL's clave of the figure: the context holds the figure
        expedientes = (self.cifra.expedientes.select_related("coactivado")
                       .order_by("-anio", "-secuencial", "pk"))
        pagina = Paginator(expedientes, POR_PAGINA).get_page(self.request.GET.get("p"))
        consulta = self.request.GET.copy()
        consulta.pop("p", None)
        return super().get_context_data(
            informe=self.informe, cifra=self.cifra, pagina=pagina, consulta=consulta.urlencode(),
            volver=f"{reverse('informes_informe', args=[self.informe.clave])}?{self.consulta()}",
            periodo=periodo_etiqueta(self.resultado), provincia=provincia_etiqueta(self.resultado), **kwargs)


def _volver(request, clave):
    return redirect(f"{reverse('informes_informe', args=[clave])}?{request.GET.urlencode()}")


@require_GET
def informe_exportar_vista(request, clave, formato):
    """The report as the user sees it, XLSX or PDF, logged as an export with its SHA-256."""
    _exigir(request.user, VER)
    informe = informe_obtener(clave)
    if formato not in ("xlsx", "pdf"):
        raise Http404
    form = ParametrosForm.de_consulta(request.GET, a_fecha=informe.a_fecha)
    if not form.is_valid():
        messages.error(request, "Revise los parámetros del informe: no se exportó nada.")
        return _volver(request, clave)
    resultado = informe_calcular(clave=clave, parametros=form.parametros, usuario=request.user)
    exportacion = informe_exportar(resultado=resultado, formato_=formato, usuario=request.user, request=request)
    respuesta = FileResponse(exportacion.archivo, as_attachment=True, filename=exportacion.nombre,
                             content_type=exportacion.tipo)
    respuesta["Cache-Control"] = "private, no-store"
    respuesta["X-Content-SHA256"] = exportacion.sha256
    return respuesta


@require_POST
def informe_emitir_vista(request, clave):
    """Issue (freeze) the report with the parameters of the query string."""
    _exigir(request.user, VER)
    if not puede_emitir(request.user):
        raise Http404
    informe = informe_obtener(clave)
    form = ParametrosForm.de_consulta(request.GET, a_fecha=informe.a_fecha)
    if not form.is_valid():
        messages.error(request, "Revise los parámetros del informe: no se emitió nada.")
        return _volver(request, clave)
    try:
        emitido = informe_emitir(clave=clave, parametros=form.parametros, usuario=request.user,
                                 motivo=request.POST.get("motivo", ""))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _volver(request, clave)
    messages.success(request, f"Informe emitido: {emitido.titulo}, versión {emitido.version}.")
    return redirect("informes_emitido", emitido.pk)


class EmitidosView(_InformesMixin, TemplateView):
    template_name = "expedientes/informes/emitidos.html"
    page_title = "Informes emitidos"
    permisos = (VER, VER_EMITIDOS)

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": "Informes emitidos"}]

    def get_context_data(self, **kwargs):
        emitidos = InformeEmitido.objects.select_related("emitido_por", "pdf", "xlsx", "docx")
        productos = [(i.clave, f"{i.numero}. {i.titulo}") for i in informes()]
        claves = dict(productos)
        clave = self.request.GET.get("informe", "")
        anio = self.request.GET.get("anio", "")
        errores = []
        if clave and clave in claves:
            emitidos = emitidos.filter(clave=clave)
        elif clave:
            errores.append("Ese informe no existe: se muestran todos.")
        if anio.isdigit() and 2000 <= int(anio) <= 2100:
            emitidos = emitidos.filter(desde__year__lte=int(anio), hasta__year__gte=int(anio))
        elif anio:
            errores.append("Escriba el año con cuatro cifras, por ejemplo 2025: se muestran todos los años.")
        pagina = Paginator(emitidos, POR_PAGINA).get_page(self.request.GET.get("p"))
        consulta = self.request.GET.copy()
        consulta.pop("p", None)
        return super().get_context_data(pagina=pagina, productos=productos, clave=clave, anio=anio,
                                        errores=errores, consulta=consulta.urlencode(),
                                        filtrado=bool(clave or anio), **kwargs)


class EmitidoView(_InformesMixin, TemplateView):
    template_name = "expedientes/informes/emitido.html"
    permisos = (VER, VER_EMITIDOS)

    def dispatch(self, request, *args, **kwargs):
        _exigir(request.user, *self.permisos)
        self.emitido = get_object_or_404(InformeEmitido.objects.select_related("emitido_por", "pdf", "xlsx", "docx"),
                                         pk=kwargs["emitido_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.emitido.titulo

    def get_page_subtitle(self):
        return f"Versión {self.emitido.version}"

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": reverse("informes_emitidos"), "label": "Informes emitidos"},
            {"url": "", "label": f"{self.emitido.titulo} (v{self.emitido.version})"}]

    def get_context_data(self, **kwargs):
        e = self.emitido
        versiones = (InformeEmitido.objects.filter(clave=e.clave, desde=e.desde, hasta=e.hasta, provincia=e.provincia)
                     .select_related("emitido_por").order_by("-version"))
        archivos = [(f, d) for f, d in (("PDF", e.pdf), ("XLSX", e.xlsx), ("DOCX", e.docx)) if d is not None]
        try:
            informe = informe_obtener(e.clave)
        except Http404:
            informe = None
        provincia = str(dict(Provincia.choices).get(e.provincia, e.provincia)) if e.provincia else "Todas"
        pantalla = ""
        if informe is not None:
            from expedientes.informes.base import Parametros

            consulta = urlencode(consulta_de(Parametros.de_dict(e.parametros), a_fecha=informe.a_fecha))
            pantalla = f"{reverse('informes_informe', args=[e.clave])}?{consulta}"
        return super().get_context_data(emitido=e, versiones=versiones, archivos=archivos, informe=informe,
                                        provincia=provincia, emisor=usuario_nombre(e.emitido_por),
                                        cifras=e.presentacion or [[k, k, v] for k, v in sorted(e.cifras.items())],
                                        pantalla=pantalla, **kwargs)


@require_GET
def documento_descargar(request, uuid):
    """A record of the unit (an issued report's file, an imported matrix), for who may read
    that kind; anyone else gets a 404, as for one that does not exist."""
    _exigir(request.user, VER)
    documento = DocumentoUnidad.objects.filter(uuid=uuid).first()
    if documento is None:
        raise Http404
    objeto = f"Documento de la unidad «{documento.titulo}» ({documento.nombre_original})"
    return documento_servir(request, documento, objeto=objeto,
                            permitido=documento_unidad_puede_descargar(request.user, documento))
