"""Bootstrap of an empty installation: site root, the Juzgado de Coactivas, the roles and
the custody bucket; then every expediente's stored next deadline is recomputed (the calendar
may have gained days, the rules may have changed) and the missing account segments are
stored. Idempotent: safe to run at every start."""

import io

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from expedientes.custodia import almacen
from expedientes.models import JuzgadoIndexPage
from expedientes.services.arbol import pagina_publicar_nueva
from expedientes.services.calendario import calendario_sembrar
from expedientes.services.documentos import plantillas_asegurar
from permisos.services import asignaciones_sincronizar, roles_configurar

from .models import InicioPage


def _inicio_asegurar() -> InicioPage:
    inicio = InicioPage.objects.first()
    if inicio is None:
        inicio = pagina_publicar_nueva(
            padre=Page.get_first_root_node(),
            pagina=InicioPage(title="Portal Coactivas", slug="inicio"),
            usuario=None,
        )
    sitio = Site.objects.filter(is_default_site=True).first()
    if sitio is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=inicio, is_default_site=True,
            site_name="Portal Coactivas",
        )
    elif sitio.root_page_id != inicio.pk:
        anterior = sitio.root_page
        sitio.root_page, sitio.site_name = inicio, "Portal Coactivas"
        sitio.save()
        # Wagtail's «Welcome to your new Wagtail site!» placeholder, if untouched.
        if type(anterior.specific) is Page and anterior.numchild == 0:
            anterior.delete()
    return inicio


def portal_inicializar(*, preparar_bucket: bool = True, salida=None) -> JuzgadoIndexPage:
    """`salida`: where the deadlines' recomputation writes its progress (none by default)."""
    with transaction.atomic():
        inicio = _inicio_asegurar()
        juzgado = JuzgadoIndexPage.objects.first()
        if juzgado is None:
            juzgado = pagina_publicar_nueva(
                padre=inicio,
                pagina=JuzgadoIndexPage(title="Juzgado de Coactivas", slug="juzgado"),
                usuario=None,
            )
        roles_configurar(juzgado=juzgado)
        asignaciones_sincronizar()
        plantillas_asegurar()
        # National holidays around today; older or later years: manage.py calendario_sembrar
        hoy = timezone.localdate()
        calendario_sembrar(anios=range(hoy.year - 1, hoy.year + 2))
    if preparar_bucket:
        almacen.bucket_preparar()
    call_command("plazos_recalcular", stdout=salida if salida is not None else io.StringIO())
    # The stored account segments of expedientes that have none yet (data from before they
    # existed); the services keep the others current (manage.py cuentas_recalcular: all).
    call_command("cuentas_recalcular", faltantes=True, stdout=salida if salida is not None else io.StringIO())
    return juzgado
