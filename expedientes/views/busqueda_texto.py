"""«Buscar en los documentos»: the search of every page's text and of the expedientes'
number, debtor and cédula/RUC (expedientes/busqueda_texto.py decides what the user sees),
and each user's saved searches. No URL names an object: a saved search is deleted by a POST
naming its id, looked up among the user's own (another's answers 404)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from expedientes.busqueda_texto import (
    FACETAS,
    MAX_CONSULTA,
    TOPE_CONTEO,
    TOPE_RANGO,
    ConsultaInvalida,
    Resultado,
    buscar,
    consulta_limpiar,
    filtros_de,
)
from expedientes.models import BusquedaGuardada

ETIQUETAS_FACETAS = {"provincia": "Provincia", "anio": "Año", "estado": "Estado", "serie": "Serie documental"}
MAX_GUARDADAS = 100


def url_de_busqueda(consulta: str, filtros: dict, **extra) -> str:
    return reverse("busqueda_texto") + "?" + urlencode({"q": consulta, **filtros, **extra})


class _BusquedaMixin(WagtailAdminTemplateMixin):
    header_icon = "search"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse("busqueda_texto"), "label": "Buscar en los documentos"}]


class BusquedaTextoView(_BusquedaMixin, TemplateView):
    template_name = "expedientes/admin/busqueda_texto.html"
    page_title = "Buscar en los documentos"

    def get_context_data(self, **kwargs):
        consulta = self.request.GET.get("q", "")
        filtros = filtros_de(self.request.GET)
        pagina = self.request.GET.get("pagina", "1")
        error = ""
        try:
            resultado = buscar(self.request.user, consulta, filtros,
                               int(pagina) if pagina.isdigit() and len(pagina) < 4 else 1)
        except ConsultaInvalida as invalida:
            error = str(invalida)
            resultado = Resultado(consulta="", filtros=filtros)
        facetas = []
        for nombre in FACETAS:
            opciones = []
            for valor, etiqueta, n in resultado.facetas.get(nombre, []):
                activa = filtros.get(nombre) == valor
                otros = {k: v for k, v in filtros.items() if k != nombre}
                opciones.append({"etiqueta": etiqueta, "n": n, "activa": activa,
                                 "url": url_de_busqueda(resultado.consulta, otros if activa else {**otros, nombre: valor})})
            if opciones:
                facetas.append({"nombre": ETIQUETAS_FACETAS[nombre], "opciones": opciones})
        return super().get_context_data(
            resultado=resultado, error=error, consulta=consulta[:MAX_CONSULTA * 2], facetas=facetas,
            tope=TOPE_CONTEO, tope_rango=TOPE_RANGO, max_consulta=MAX_CONSULTA,
            anterior=(url_de_busqueda(resultado.consulta, filtros, pagina=resultado.pagina - 1)
                      if resultado.pagina > 1 else None),
            siguiente=(url_de_busqueda(resultado.consulta, filtros, pagina=resultado.pagina + 1)
                       if resultado.hay_mas else None),
            filtros_json=filtros, **kwargs)


class BusquedaGuardarView(_BusquedaMixin, TemplateView):
    """POST only: keep the search (words and filters) under a name for this user."""
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            consulta = consulta_limpiar(request.POST.get("q", ""))
        except ConsultaInvalida as invalida:
            messages.error(request, str(invalida))
            return redirect("busqueda_texto")
        filtros = filtros_de(request.POST)
        nombre = " ".join(request.POST.get("nombre", "").split())[:120] or consulta[:120]
        if not consulta:
            messages.error(request, "Escriba qué buscar antes de guardar la búsqueda.")
            return redirect("busqueda_texto")
        if BusquedaGuardada.objects.filter(usuario=request.user).count() >= MAX_GUARDADAS:
            messages.error(request, f"Ya tiene {MAX_GUARDADAS} búsquedas guardadas: elimine alguna antes de guardar otra.")
            return redirect(url_de_busqueda(consulta, filtros))
        BusquedaGuardada.objects.create(usuario=request.user, nombre=nombre, consulta=consulta, filtros=filtros)
        messages.success(request, f"Búsqueda guardada: «{nombre}».")
        return redirect(url_de_busqueda(consulta, filtros))


class BusquedasGuardadasView(_BusquedaMixin, TemplateView):
    template_name = "expedientes/admin/busquedas_guardadas.html"
    page_title = "Mis búsquedas guardadas"

    def get_context_data(self, **kwargs):
        guardadas = [{"b": b, "url": url_de_busqueda(b.consulta, filtros_de(b.filtros))}
                     for b in BusquedaGuardada.objects.filter(usuario=self.request.user)]
        return super().get_context_data(guardadas=guardadas, **kwargs)

    def post(self, request, *args, **kwargs):
        valor = request.POST.get("eliminar", "")
        borradas = 0
        if valor.isdigit() and len(valor) < 19:
            borradas, _ = BusquedaGuardada.objects.filter(usuario=request.user, pk=int(valor)).delete()
        if not borradas:
            raise Http404
        messages.success(request, "Búsqueda eliminada.")
        return redirect("busquedas_guardadas")
