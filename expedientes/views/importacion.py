"""The import screens of the historical matrices (/admin/informes/importaciones/): the list of
runs, a new import (upload → dry run), and a run's detail: its problems by sheet, row and
column, the proposed column mapping per sheet (editable, saved per layout), and the
confirmation that imports. Only who holds expedientes.importar_matriz; anyone else: 404.
The dry run and the import run on the queue (a big matrix takes longer than a request should):
each screen action queues a job and sends the user to its page, which shows the progress and
links to the result. Between the dry run and the import the workbook waits in the database
(LibroPendiente), shared by every web process and worker; it enters custody only when imported."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from expedientes.importacion.lectura import CAMPOS
from expedientes.informes.emision import documento_unidad_puede_descargar
from expedientes.models import ImportacionMatriz
from expedientes.services.importacion import (
    TAMANO_MAXIMO,
    formato_guardar,
    libro_pendiente_guardar,
    matriz_importar_pedir,
    puede_importar,
)


class _ImportacionMixin(WagtailAdminTemplateMixin):
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not puede_importar(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse("importacion_lista"), "label": "Importación de matrices"}]


def _fecha(texto: str):
    from datetime import datetime

    try:
        return datetime.strptime((texto or "").strip(), "%d/%m/%Y").date() if texto else None
    except ValueError:
        raise ValidationError("Escriba la fecha de corte así: 31/12/2014.") from None


class ImportacionListaView(_ImportacionMixin, TemplateView):
    template_name = "expedientes/informes/importacion/lista.html"
    page_title = "Importación de matrices históricas"

    def get_context_data(self, **kwargs):
        consulta = ImportacionMatriz.objects.select_related("usuario", "documento")
        if (modo := self.request.GET.get("modo")) in ImportacionMatriz.Modo.values:
            consulta = consulta.filter(modo=modo)
        pagina = Paginator(consulta, 25).get_page(self.request.GET.get("p"))
        return super().get_context_data(pagina=pagina, modos=ImportacionMatriz.Modo.choices, modo=modo, **kwargs)


class ImportacionNuevaView(_ImportacionMixin, TemplateView):
    template_name = "expedientes/informes/importacion/nueva.html"
    page_title = "Importar una matriz histórica"

    def post(self, request, *args, **kwargs):
        archivo = request.FILES.get("archivo")
        error = None
        if archivo is None:
            error = "Elija el archivo de Excel (.xlsx) de la matriz."
        elif archivo.size > TAMANO_MAXIMO:  # before reading it into memory
            error = f"El archivo supera {TAMANO_MAXIMO // 2**20} MB: divídalo por años."
        if error is None:
            try:
                corte = _fecha(request.POST.get("corte"))
                libro = libro_pendiente_guardar(contenido=archivo.read(), nombre_archivo=archivo.name,
                                                usuario=request.user)
                trabajo = matriz_importar_pedir(libro=libro, usuario=request.user, corte=corte, simular=True)
            except ValidationError as e:
                error = " ".join(e.messages)
            else:
                return redirect("trabajo_detalle", trabajo.pk)
        return self.render_to_response(self.get_context_data(error=error))


class ImportacionDetalleView(_ImportacionMixin, TemplateView):
    template_name = "expedientes/informes/importacion/detalle.html"
    page_title = "Importación de matriz"

    def dispatch(self, request, *args, **kwargs):
        if not puede_importar(request.user):
            raise Http404
        self.importacion = get_object_or_404(
            ImportacionMatriz.objects.select_related("usuario", "documento", "libro").defer("libro__contenido"),
            pk=kwargs["importacion_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.importacion.nombre_archivo

    def _pendiente(self) -> bool:
        """A dry run of this user whose workbook still waits: it may be run again or imported."""
        i = self.importacion
        return i.modo == ImportacionMatriz.Modo.SIMULACION and i.libro_id is not None and i.usuario_id == self.request.user.pk

    def get_context_data(self, **kwargs):
        i = self.importacion
        hojas = []
        for nombre, hoja in (i.mapeo or {}).items():
            hojas.append({"nombre": nombre, "firma": hoja["firma"], "fila_cabecera": hoja["fila_cabecera"],
                          "cabeceras": hoja["cabeceras"],
                          "campos": [(c, etiqueta, requerido, hoja["mapeo"].get(c, ""))
                                     for c, (etiqueta, requerido) in CAMPOS.items()]})
        pendiente = self._pendiente()
        descargable = i.documento is not None and documento_unidad_puede_descargar(self.request.user, i.documento)
        return super().get_context_data(importacion=i, hojas=hojas, pendiente=pendiente, descargable=descargable,
                                        **kwargs)

    def post(self, request, *args, **kwargs):
        i = self.importacion
        if not self._pendiente():
            messages.error(request, "Vuelva a subir el archivo: la simulación ya no está disponible.")
            return redirect("importacion_nueva")
        try:
            mapeos = self._mapeos(request.POST)
            trabajo = matriz_importar_pedir(libro=i.libro, usuario=request.user, corte=i.corte, mapeos=mapeos,
                                            simular=request.POST.get("accion") != "confirmar")
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect("importacion_detalle", i.pk)
        return redirect("trabajo_detalle", trabajo.pk)

    def _mapeos(self, datos) -> dict:
        """The mapping edited on screen, per sheet; saved as a layout when it is given a name."""
        mapeos = {}
        for nombre, hoja in (self.importacion.mapeo or {}).items():
            prefijo = f"{hoja['firma'][:12]}_"
            mapeo = {c: datos[prefijo + c] for c in CAMPOS if datos.get(prefijo + c)}
            if not any(k.startswith(prefijo) for k in datos):
                continue
            mapeos[hoja["firma"]] = mapeo
            if nombre_formato := datos.get(prefijo + "formato", "").strip():
                formato_guardar(nombre=nombre_formato, firma=hoja["firma"], cabeceras=hoja["cabeceras"],
                                mapeo=mapeo, usuario=self.request.user)
        return mapeos


