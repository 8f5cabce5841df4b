"""Untraceable debtors and insolvency: the searches in public registries, the press
publications and when the citation by press takes effect; and the informe de insolvencia
once enforcement found nothing."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from expedientes.calendario import Computo, fecha_formatear, termino_vencimiento
from expedientes.estados import Estado, transicion_permitida
from expedientes.models import Busqueda, ClaveDocumento, ObjetoBusqueda, PublicacionPrensa

from .cuenta import costa_registrar
from .documentos import documento_generar
from .fechas import fecha_acto_validar
from .precondiciones import busquedas_agotadas
from .plazos import plazo_recalcular
from .proceso import expediente_bloquear, expediente_transicion


def busqueda_registrar(*, expediente, registro, fecha: date, resultado: str, encontrado: bool, usuario,
                       objeto: str = ObjetoBusqueda.DOMICILIO) -> Busqueda:
    fecha_acto_validar(expediente=expediente, fecha=fecha, que="de la búsqueda")
    busqueda = Busqueda(expediente=expediente, registro=registro, objeto=objeto, fecha=fecha,
                        resultado=resultado, encontrado=encontrado, registrada_por=usuario)
    busqueda.full_clean()
    busqueda.save()
    return busqueda


def ilocalizable_declarar(*, expediente, usuario, fecha: date):
    # the required searches are the state's precondition (precondiciones.py)
    return expediente_transicion(expediente=expediente, hasta=Estado.ILOCALIZABLE, usuario=usuario,
                                 fecha=fecha, motivo="Búsquedas en registros públicos sin resultado.")


def publicacion_registrar(*, expediente, periodico: str, fecha: date, costo: Decimal, usuario) -> PublicacionPrensa:
    """A press publication; its cost is a costa of the expediente. Dated in order: not in
    the future, not before the untraceable declaration (the latest entry into «ilocalizable»)
    nor before the last publication. All of it is checked on the locked expediente before
    anything is written: a refused publication leaves no costa."""
    que = "de la publicación"
    with transaction.atomic():
        actual = expediente_bloquear(expediente)
        if actual.estado != Estado.ILOCALIZABLE:
            raise ValidationError("Solo se cita por la prensa a un coactivado declarado ilocalizable.")
        fecha_acto_validar(expediente=actual, fecha=fecha, que=que)
        declaracion = actual.transiciones.filter(hasta=Estado.ILOCALIZABLE).order_by("registrada_en", "pk").last()
        if declaracion and fecha < declaracion.fecha:
            raise ValidationError({"fecha": (
                f"La fecha {que} ({fecha_formatear(fecha)}) es anterior a la declaración del coactivado "
                f"como ilocalizable ({fecha_formatear(declaracion.fecha)})."
            )})
        ultima = actual.publicaciones.order_by("fecha", "pk").last()
        if ultima and fecha < ultima.fecha:
            raise ValidationError({"fecha": (
                f"La fecha {que} ({fecha_formatear(fecha)}) es anterior a la última publicación registrada "
                f"({fecha_formatear(ultima.fecha)}, {ultima.periodico}): las publicaciones se registran en orden."
            )})
        publicacion = PublicacionPrensa(expediente=actual, periodico=periodico, fecha=fecha)
        publicacion.full_clean(exclude=["costa"])
        publicacion.costa = costa_registrar(
            expediente=actual, fecha=fecha, monto=costo, usuario=usuario,
            concepto=f"Publicación por la prensa en {periodico}, {fecha_formatear(fecha)}")
        publicacion.save()
        plazo_recalcular(actual)  # the last publication starts the term of the citation by press
        return publicacion


def citacion_prensa_efecto(expediente) -> Computo | None:
    """When the citation by press takes effect: a término counted from the last of the
    required publications (settings.ILOCALIZABLES), or None while they are incomplete."""
    reglas = settings.ILOCALIZABLES
    # sorted here, not with order_by: the dashboard prefetches publicaciones for many expedientes
    publicaciones = sorted(expediente.publicaciones.all(), key=lambda p: p.fecha)
    if len(publicaciones) < reglas["PUBLICACIONES"]:
        return None
    return termino_vencimiento(desde=publicaciones[-1].fecha, dias=reglas["DIAS_EFECTO_PRENSA"],
                               evento="la última publicación por la prensa")


def citacion_prensa_registrar(*, expediente, usuario, fecha: date):
    fecha_acto_validar(expediente=expediente, fecha=fecha, que="de la citación")
    efecto = citacion_prensa_efecto(expediente)
    if efecto is None:
        raise ValidationError(
            f"Se requieren {settings.ILOCALIZABLES['PUBLICACIONES']} publicaciones por la prensa.")
    if fecha < efecto.vence:
        raise ValidationError(f"La citación por la prensa aún no surte efecto: {efecto.explicacion}.")
    return expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuario,
                                 fecha=efecto.vence, motivo=f"Citación por la prensa. {efecto.explicacion}.")


def insolvencia_declarar(*, expediente, usuario, fecha: date, firmante=None):
    """The informe de insolvencia (PDF in custody, with the searches made) and the state, in
    one transaction: a refusal leaves neither the report nor its file."""

    def validar(e):
        busquedas_agotadas(e, objeto=ObjetoBusqueda.BIENES, exigidos=settings.INSOLVENCIA["REGISTROS_EXIGIDOS"])
        if not transicion_permitida(e.estado, Estado.INSOLVENCIA):
            raise ValidationError(f"El expediente {e.numero} está en «{e.get_estado_display()}»: "
                                  "no procede declarar la insolvencia.")

    def preparar(e):
        busquedas = [{"fecha": b.fecha, "registro": b.get_registro_display(), "resultado": b.resultado}
                     for b in e.busquedas.filter(objeto=ObjetoBusqueda.BIENES)]
        return "", {"busquedas": busquedas}

    def registrar(e, version):
        expediente_transicion(expediente=e, hasta=Estado.INSOLVENCIA, usuario=usuario, fecha=fecha,
                              actuacion=version.adjunto.actuacion,
                              motivo="Informe de insolvencia: agotada la ejecución sin bienes.")

    return documento_generar(expediente=expediente, clave=ClaveDocumento.INFORME_INSOLVENCIA, usuario=usuario,
                             firmante=firmante, fecha=fecha, validar=validar, preparar=preparar,
                             registrar=registrar)
