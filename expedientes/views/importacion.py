"""The import screens of the historical matrices (/admin/informes/importaciones/): the list of
runs, a new import (upload → dry run), and a run's detail: its problems by sheet, row and
column, the proposed column mapping per sheet (editable, saved per layout), and the
confirmation that imports. Only who holds expedientes.importar_matriz; anyone else: 404.
Between the dry run and the confirmation the workbook waits in the user's session (it enters
custody only when imported)."""

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from expedientes.custodia import ArchivoRechazado
from expedientes.importacion.lectura import CAMPOS
from expedientes.informes.emision import documento_unidad_puede_descargar
from expedientes.models import ImportacionMatriz
from expedientes.services.importacion import formato_guardar, matriz_importar, puede_importar

TAMANO_MAXIMO = 20 * 1024 * 1024


def _sesion_clave(sha256: str) -> str:
    return f"matriz_{sha256}"


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
        elif archivo.size > TAMANO_MAXIMO:
            error = "El archivo supera 20 MB: divídalo por años."
        if error is None:
            try:
                corte = _fecha(request.POST.get("corte"))
                contenido = archivo.read()
                importacion = matriz_importar(contenido=contenido, nombre_archivo=archivo.name, usuario=request.user,
                                              corte=corte, simular=True)
            except ValidationError as e:
                error = " ".join(e.messages)
            else:
                request.session[_sesion_clave(importacion.sha256)] = base64.b64encode(contenido).decode()
                return redirect("importacion_detalle", importacion.pk)
        return self.render_to_response(self.get_context_data(error=error))


class ImportacionDetalleView(_ImportacionMixin, TemplateView):
    template_name = "expedientes/informes/importacion/detalle.html"
    page_title = "Importación de matriz"

    def dispatch(self, request, *args, **kwargs):
        if not puede_importar(request.user):
            raise Http404
        self.importacion = get_object_or_404(ImportacionMatriz.objects.select_related("usuario", "documento"),
                                             pk=kwargs["importacion_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.importacion.nombre_archivo

    def _contenido(self):
        guardado = self.request.session.get(_sesion_clave(self.importacion.sha256))
        return base64.b64decode(guardado) if guardado else None

    def get_context_data(self, **kwargs):
        i = self.importacion
        hojas = []
        for nombre, hoja in (i.mapeo or {}).items():
            hojas.append({"nombre": nombre, "firma": hoja["firma"], "fila_cabecera": hoja["fila_cabecera"],
                          "cabeceras": hoja["cabeceras"],
                          "campos": [(c, etiqueta, requerido, hoja["mapeo"].get(c, ""))
                                     for c, (etiqueta, requerido) in CAMPOS.items()]})
        pendiente = (i.modo == ImportacionMatriz.Modo.SIMULACION and self._contenido() is not None
                     and i.usuario_id == self.request.user.pk)
        descargable = i.documento is not None and documento_unidad_puede_descargar(self.request.user, i.documento)
        return super().get_context_data(importacion=i, hojas=hojas, pendiente=pendiente, descargable=descargable,
                                        **kwargs)

    def post(self, request, *args, **kwargs):
        i = self.importacion
        contenido = self._contenido()
        if contenido is None or i.modo != ImportacionMatriz.Modo.SIMULACION or i.usuario_id != request.user.pk:
            messages.error(request, "Vuelva a subir el archivo: la simulación ya no está disponible.")
            return redirect("importacion_nueva")
        try:
            mapeos = self._mapeos(request.POST)
            simular = request.POST.get("accion") != "confirmar"
            nueva = matriz_importar(contenido=contenido, nombre_archivo=i.nombre_archivo, usuario=request.user,
                                    corte=i.corte, simular=simular, mapeos=mapeos)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect("importacion_detalle", i.pk)
        except ArchivoRechazado as rechazo:
            messages.error(request, rechazo.mensaje)
            return redirect("importacion_detalle", i.pk)
        if not simular and nueva.estado == ImportacionMatriz.Resultado.IMPORTADA:
            request.session.pop(_sesion_clave(i.sha256), None)
            messages.success(request, f"Matriz importada: {nueva.expedientes_creados} expedientes, "
                                      f"{nueva.pagos_creados} pagos; el archivo quedó en custodia.")
        return redirect("importacion_detalle", nueva.pk)

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


