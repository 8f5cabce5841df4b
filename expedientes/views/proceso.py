"""The process screen of an expediente: where it stands (state, balance, next deadline, open
measures), its ledger and history, and one small form per thing that can happen next.
Each action parses its form and calls one service; the rules live in the services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from archivo.pantallas.cierre import cierre_contexto
from expedientes import forms_proceso as f
from expedientes import plazos
from expedientes.custodia import ArchivoRechazado
from expedientes.liquidacion import LiquidacionError
from expedientes.models import ABIERTAS, BienEmbargado, EnvioFormulario, ExpedientePage, MedidaCautelar, Pago, Remate
from expedientes.selectors import actuaciones_con_archivos, dossiers_de, expedientes_visibles
from expedientes.services import citaciones, correcciones, cuenta, embargos, ilocalizables, medidas, pagos
from expedientes.services.documentos import documento_diferencias, documento_generar, documento_vista_previa
from expedientes.services.dossier import dossier_armable
from expedientes.services.proceso import expediente_transicion
from permisos import auditoria, policies


def _medida(expediente, datos):
    return get_object_or_404(MedidaCautelar, pk=datos.get("medida_id"), expediente=expediente)


def _pago(expediente, datos):
    return get_object_or_404(Pago, pk=datos.get("pago_id"), expediente=expediente)


def _bien(expediente, datos):
    return get_object_or_404(BienEmbargado, pk=datos.get("bien_id"), expediente=expediente)


def _remate(expediente, datos):
    return get_object_or_404(Remate, pk=datos.get("remate_id"), bien__expediente=expediente)


# the row an action of a table acts on (a measure, a payment, an asset, an auction)
FILAS = ("medida_id", "pago_id", "bien_id", "remate_id")

# accion → (form class, what it does, success message)
ACCIONES = {
    "pago": (f.PagoForm, lambda e, d, u: cuenta.pago_registrar(expediente=e, usuario=u, **d), "Pago registrado."),
    "anular": (f.AnulacionForm, lambda e, d, u: pagos.pago_anular(pago=_pago(e, d), usuario=u, motivo=d["motivo"]),
               "Pago anulado; el saldo ya no lo cuenta. Queda en la lista, tachado, con el motivo."),
    "comprobante": (f.AccionForm, lambda e, d, u: pagos.comprobante_emitir(pago=_pago(e, d), usuario=u),
                    "Comprobante emitido y guardado en custodia."),
    "costa": (f.CostaForm, lambda e, d, u: cuenta.costa_registrar(expediente=e, usuario=u, **d), "Costa registrada."),
    "transicion": (f.TransicionForm, lambda e, d, u: expediente_transicion(expediente=e, usuario=u, **d),
                   "Estado actualizado."),
    "medida": (f.MedidaForm, lambda e, d, u: medidas.medida_ordenar(expediente=e, usuario=u, **d),
               "Medida ordenada y oficio generado."),
    "respuesta": (f.RespuestaForm, lambda e, d, u: medidas.medida_respuesta_registrar(
        medida=_medida(e, d), fecha=d["fecha"], monto_retenido=d["monto_retenido"],
        observaciones=d["observaciones"]), "Respuesta registrada."),
    "embargo": (f.EmbargoForm, lambda e, d, u: medidas.medida_convertir_embargo(
        medida=_medida(e, d), fecha=d["fecha"], usuario=u, firmante=d["firmante"]), "Embargo ordenado."),
    "levantar": (f.LevantarForm, lambda e, d, u: medidas.medida_levantar(
        medida=_medida(e, d), fecha=d["fecha"], usuario=u, firmante=d["firmante"]),
                 "Medida levantada y oficio generado."),
    "bien": (f.BienForm, lambda e, d, u: embargos.bien_embargar(expediente=e, usuario=u, **d),
             "Bien embargado; el auto de embargo quedó en custodia."),
    "avaluo": (f.AvaluoForm, lambda e, d, u: embargos.bien_avaluar(
        bien=_bien(e, d), avaluo=d["avaluo"], fecha=d["fecha"], perito=d["perito"], usuario=u), "Avalúo registrado."),
    "remate": (f.RemateForm, lambda e, d, u: embargos.remate_senalar(
        bien=_bien(e, d), fecha=d["fecha"], fecha_senalada=d["fecha_senalada"], base=d["base"], usuario=u),
               "Remate señalado."),
    "resultado_remate": (f.ResultadoRemateForm, lambda e, d, u: embargos.remate_registrar_resultado(
        remate=_remate(e, d), resultado=d["resultado"], fecha=d["fecha"], valor_adjudicado=d["valor_adjudicado"],
        adjudicatario=d["adjudicatario"], observaciones=d["observaciones"], usuario=u),
                         "Resultado del remate registrado."),
    "levantar_bien": (f.LevantarBienForm, lambda e, d, u: embargos.bien_levantar(
        bien=_bien(e, d), fecha=d["fecha"], motivo=d["motivo"], usuario=u), "Embargo del bien levantado."),
    "citacion": (f.CitacionForm, lambda e, d, u: citaciones.citacion_registrar(expediente=e, usuario=u, **d),
                 "Citación registrada con su razón."),
    "busqueda": (f.BusquedaForm, lambda e, d, u: ilocalizables.busqueda_registrar(expediente=e, usuario=u, **d),
                 "Búsqueda registrada."),
    "ilocalizable": (f.FechaForm, lambda e, d, u: ilocalizables.ilocalizable_declarar(expediente=e, usuario=u, **d),
                     "Coactivado declarado ilocalizable."),
    "publicacion": (f.PublicacionForm, lambda e, d, u: ilocalizables.publicacion_registrar(
        expediente=e, usuario=u, **d), "Publicación registrada (y su costo como costa)."),
    "citacion_prensa": (f.FechaForm, lambda e, d, u: ilocalizables.citacion_prensa_registrar(
        expediente=e, usuario=u, **d), "Citación por la prensa registrada."),
    "insolvencia": (f.InsolvenciaForm, lambda e, d, u: ilocalizables.insolvencia_declarar(
        expediente=e, usuario=u, **d), "Informe de insolvencia generado."),
    "documento": (f.DocumentoForm, lambda e, d, u: documento_generar(expediente=e, usuario=u, **d),
                  "Documento generado y guardado en custodia."),
    "titulo": (f.TituloForm, lambda e, d, u: correcciones.titulo_corregir(
        titulo=get_object_or_404(e.titulos, pk=d["titulo"]), capital=d["capital"], motivo=d["motivo"], usuario=u),
               "Título corregido; la corrección quedó registrada."),
    "corregir": (f.CorreccionForm, lambda e, d, u: correcciones.expediente_corregir(
        expediente=e, usuario=u, motivo=d["motivo"], fecha_recepcion=d["fecha_recepcion"],
        provincia=d["provincia"]), "Datos corregidos; la corrección quedó registrada."),
    "asignar": (f.AsignacionForm, lambda e, d, u: correcciones.expediente_asignar(
        expediente=e, abogado=d["abogado"], usuario=u, motivo=d["motivo"]), "Abogado impulsor asignado."),
    "convenio": (f.ConvenioForm, lambda e, d, u: cuenta.convenio_registrar(
        expediente=e, usuario=u, fecha=d["fecha"], dias_gracia=d["dias_gracia"], resolucion=d["resolucion"],
        cuotas=cuenta.cuotas_iguales(total=cuenta.cuenta_liquidar_o_rechazar(e, d["fecha"], para="No se puede registrar el convenio").saldo,
                                     numero=d["cuotas"], primera=d["primera"])),
                 "Convenio de pago registrado."),
}


# The general actions, in the order the screen offers them (per-measure ones sit in its row).
MENU = [
    ("pago", "Pago", "Registrar pago"),
    ("documento", "Generar documento", "Generar"),
    ("citacion", "Citación (con su razón)", "Registrar citación"),
    ("transicion", "Cambio de estado", "Cambiar estado"),
    ("medida", "Medida cautelar (oficio de retención)", "Ordenar y generar oficio"),
    ("bien", "Embargo de un bien (vehículo, inmueble u otro)", "Embargar y generar auto"),
    ("convenio", "Convenio de pago", "Registrar convenio"),
    ("costa", "Costa", "Registrar costa"),
    ("busqueda", "Búsqueda en registros públicos", "Registrar búsqueda"),
    ("ilocalizable", "Declarar ilocalizable", "Declarar"),
    ("publicacion", "Publicación por la prensa", "Registrar publicación"),
    ("citacion_prensa", "Citación por la prensa", "Registrar citación"),
    ("insolvencia", "Informe de insolvencia", "Generar informe"),
    ("asignar", "Abogado impulsor", "Asignar"),
    ("titulo", "Corrección del título de crédito", "Corregir título"),
    ("corregir", "Corrección de datos (fecha de recepción, provincia)", "Corregir"),
]
# Corrections and assignment are the jefe's (services/correcciones.py decides; the menu only
# hides what the user may not do).
PERMISO_DE = {"titulo": "expedientes.corregir_expediente", "corregir": "expedientes.corregir_expediente",
              "asignar": "expedientes.asignar_expediente"}


def _formulario(accion, expediente, data=None, files=None, request=None):
    clase = ACCIONES[accion][0]
    prefijo = accion
    if clase is f.TransicionForm:
        return clase(data, prefix=prefijo, estado=expediente.estado)
    if clase is f.TituloForm:
        return clase(data, prefix=prefijo, titulos=expediente.titulos.all())
    if clase is f.CitacionForm:
        return clase(data, files, prefix=prefijo, request=request)
    if clase is f.PagoForm:
        return clase(data, prefix=prefijo, expediente=expediente)
    return clase(data, prefix=prefijo)


def _vista_previa(request, expediente, datos):
    """The document as it would be generated, shown and not stored: no actuación, no file,
    no custody entry (only the view is logged, as any screen of the expediente)."""
    pdf = documento_vista_previa(expediente=expediente, usuario=request.user, clave=datos["clave"],
                                 fecha=datos["fecha"], firmante=datos["firmante"])
    auditoria.expediente_vista_registrar(expediente=expediente, request=request,
                                         pantalla=f"vista previa: {datos['clave']}")
    respuesta = HttpResponse(pdf, content_type="application/pdf")
    respuesta["Content-Disposition"] = f'inline; filename="vista-previa-{datos["clave"]}-{expediente.numero}.pdf"'
    respuesta["X-Content-Type-Options"] = "nosniff"
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta


def _envio_registrar(request, expediente, accion) -> str | None:
    """Claim the form's token (committed at once); None when it was sent before."""
    token = request.POST.get(f"{accion}-envio", "")
    if not token:
        return ""  # a client that sends no token gets the services' own rules only
    fila = ":".join(request.POST.get(campo, "") for campo in FILAS)  # the row's form shares the token
    clave = f"{token}:{accion}:{fila}"[:120]
    try:
        with transaction.atomic():
            EnvioFormulario.objects.create(clave=clave, expediente=expediente, accion=accion, usuario=request.user)
    except IntegrityError:
        return None
    return clave


class ProcesoView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "expedientes/admin/proceso.html"
    header_icon = "folder-open-inverse"

    def dispatch(self, request, *args, **kwargs):
        # the ledger's rows once: the balance and every issued document's recomputation read them
        self.expediente = get_object_or_404(
            ExpedientePage.objects.select_related("coactivado", "abogado").prefetch_related("titulos", "costas", "pagos"),
            pk=kwargs["pk"])
        if not policies.pagina_puede_ver(request.user, self.expediente):
            auditoria.expediente_acceso_denegado_registrar(
                expediente=self.expediente, request=request, pantalla="pantalla del proceso")
            raise Http404  # as if it did not exist: trying ids tells nothing
        self.puede_gestionar = self.expediente.permissions_for_user(request.user).can_edit()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        auditoria.expediente_vista_registrar(expediente=self.expediente, request=request,
                                             pantalla="pantalla del proceso")
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return f"Expediente {self.expediente.numero}"

    def get_page_subtitle(self):
        return self.expediente.coactivado.nombre

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("expedientes_listado"), "label": "Expedientes"},
            {"url": "", "label": self.expediente.numero},
        ]

    def get_context_data(self, **kwargs):
        e = self.expediente
        hoy = timezone.localdate()
        formularios = {accion: _formulario(accion, e) for accion in ACCIONES}
        formularios.update(kwargs.pop("formularios", {}))
        try:  # a ledger that cannot be liquidated says why; the rest of the screen still shows
            estado_cuenta, cuenta_error = cuenta.cuenta_liquidar(e, hoy), ""
        except LiquidacionError as error:
            estado_cuenta, cuenta_error = None, str(error)
        pagos_lista = e.pagos.select_related("registrado_por", "anulado_por", "medida", "remate__bien")
        return super().get_context_data(
            expediente=e, hoy=hoy, cuenta=estado_cuenta, cuenta_error=cuenta_error,
            vencimientos=plazos.vencimientos_de(e),
            medidas=e.medidas.all(), bienes=e.bienes.select_related("medida").prefetch_related("remates"),
            abiertas=e.medidas.filter(estado__in=ABIERTAS).count(),
            por_levantar=medidas.medidas_por_levantar(e),
            transiciones=e.transiciones.select_related("usuario", "actuacion"),
            actuaciones=actuaciones_con_archivos(e), titulos=e.titulos.all(), costas=e.costas.all(),
            pagos=pagos_lista, puede_anular=pagos.pago_puede_anular(self.request.user, e),
            convenios=[(c, cuenta.convenio_situacion(c, hoy, pagos=pagos_lista))
                       for c in e.convenios.prefetch_related("cuotas")],
            busquedas=e.busquedas.all(),
            publicaciones=e.publicaciones.all(), efecto_prensa=ilocalizables.citacion_prensa_efecto(e),
            otros=expedientes_visibles(self.request.user).filter(coactivado=e.coactivado).exclude(pk=e.pk),
            puede_gestionar=self.puede_gestionar, formularios=formularios,
            acciones_menu=[(a, titulo, boton, formularios[a]) for a, titulo, boton in MENU
                           if a not in PERMISO_DE or self.request.user.has_perm(PERMISO_DE[a])],
            correcciones=e.correcciones.select_related("usuario"),
            dossiers=dossiers_de(self.request.user, e),
            puede_armar_dossier=dossier_armable(e) and policies.dossier_puede_armar(self.request.user, e),
            archivo_cierre=cierre_contexto(expediente=e, usuario=self.request.user),
            emitidos=[(d, documento_diferencias(d, expediente=e))
                      for d in e.documentos_emitidos.select_related("version__adjunto__actuacion")],
            **kwargs,
        )

    def _comprobante_emitir(self, pago):
        """The receipt right after the payment is recorded (its own transactions, no row of
        the payment's locked): if the antivirus or the store fails, the payment stays and the
        row offers «Emitir comprobante»."""
        try:
            pagos.comprobante_emitir(pago=pago, usuario=self.request.user)
        except (ValidationError, ArchivoRechazado) as error:
            motivo = " ".join(getattr(error, "messages", None) or [error.mensaje])
            messages.warning(self.request, f"El pago quedó registrado, pero su comprobante no se pudo emitir: "
                                           f"{motivo} Use «Emitir comprobante» en la fila del pago.")

    def post(self, request, *args, **kwargs):
        accion = kwargs["accion"]
        if accion not in ACCIONES or not self.puede_gestionar:
            raise PermissionDenied
        formulario = _formulario(accion, self.expediente, request.POST, request.FILES, request=request)
        if formulario.is_valid():
            datos = dict(formulario.cleaned_data)
            datos.pop("envio", None)
            if accion == "documento" and request.POST.get("vista_previa"):
                try:
                    return _vista_previa(request, self.expediente, datos)
                except ValidationError as error:
                    for mensaje in error.messages:
                        formulario.add_error(None, mensaje)
                    messages.error(request, f"No se pudo preparar la vista previa: {' '.join(error.messages)}")
                    return self.render_to_response(
                        self.get_context_data(formularios={accion: formulario}, con_error=accion))
            for clave in FILAS:
                if clave in request.POST:
                    datos[clave] = request.POST[clave]
            envio = _envio_registrar(request, self.expediente, accion)
            if envio is None:
                messages.warning(request, "Este formulario ya se había enviado: la acción se registró una sola vez.")
                return redirect("expedientes_proceso", self.expediente.pk)
            try:
                hecho = ACCIONES[accion][1](self.expediente, datos, request.user)
            except (ValidationError, ArchivoRechazado) as error:
                EnvioFormulario.objects.filter(clave=envio).delete()  # corrected, it may be sent again
                for mensaje in getattr(error, "messages", None) or [error.mensaje]:
                    formulario.add_error(None, mensaje)
            else:
                messages.success(request, ACCIONES[accion][2])
                if accion == "pago":
                    self._comprobante_emitir(hecho)
                return redirect("expedientes_proceso", self.expediente.pk)
        # the reasons also in the message: a refused action may have no form on the screen
        motivos = " ".join(formulario.non_field_errors())
        messages.error(request, f"No se guardó: {motivos or 'revise el formulario marcado.'}")
        return self.render_to_response(self.get_context_data(formularios={accion: formulario}, con_error=accion,
                                                         pago_con_error=request.POST.get("pago_id", "")))
