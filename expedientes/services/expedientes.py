"""Opening an expediente: the system assigns its number (MDT-DRTSPC-2025-0042) with no
races. The Juzgado index row is locked for the whole opening, so concurrent openings
queue: the year page is created once and the sequence has no duplicates."""

import re
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from wagtail.models import Page

from archivo.services.clasificacion import serie_por_defecto
from expedientes.custodia import ArchivoCustodiado, custodiar
from expedientes.models import AnioPage, Coactivado, ExpedientePage, JuzgadoIndexPage, TipoActuacion
from permisos.services import asignacion_aplicar

from .actuaciones import actuacion_registrar
from .adjuntos import adjunto_registrar
from .arbol import pagina_publicar_nueva
from .coactivados import coactivado_contacto_registrar, coactivado_nombre_advertencia, coactivado_registrar
from .cuenta import titulo_registrar
from .plazos import plazo_recalcular

PATRON_NUMERO = re.compile(r"^(?P<prefijo>[A-Z0-9-]+)-(?P<anio>\d{4})-(?P<secuencial>\d{4,6})$")


def numero_formatear(anio: int, secuencial: int) -> str:
    return f"{settings.EXPEDIENTE_PREFIJO}-{anio}-{secuencial:04d}"


def juzgado_obtener() -> JuzgadoIndexPage:
    juzgado = JuzgadoIndexPage.objects.first()
    if juzgado is None:
        raise ValidationError(
            "El portal no está inicializado (falta el Juzgado de Coactivas): "
            "ejecute «manage.py portal_inicializar»."
        )
    return juzgado


def _anio_obtener(juzgado: JuzgadoIndexPage, anio: int, usuario) -> AnioPage:
    existente = AnioPage.objects.filter(anio=anio).first()
    if existente:
        return existente
    pagina = AnioPage(anio=anio, title=str(anio), slug=str(anio))
    return pagina_publicar_nueva(padre=juzgado, pagina=pagina, usuario=usuario)


def _numero_legado(numero: str) -> tuple[int | None, int | None]:
    """An existing number (files opened before the portal) keeps its year and sequence."""
    coincidencia = PATRON_NUMERO.match(numero)
    if not coincidencia:
        raise ValidationError(
            {"numero": f"El número «{numero}» no tiene el formato PREFIJO-AAAA-NNNN "
                       f"(p. ej. {numero_formatear(date.today().year, 42)})."}
        )
    return int(coincidencia["anio"]), int(coincidencia["secuencial"])


def _coactivado_de_la_apertura(*, identificacion: str, nombre: str, usuario) -> tuple[Coactivado, list[str]]:
    """The debtor named by the orden de cobro, registered if new, and what the user should
    know about it: a RUC whose check digit fails, a typed name that is not the registered one."""
    try:
        coactivado = coactivado_registrar(identificacion=identificacion, nombre=nombre, usuario=usuario)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"identificacion": error.error_list}) from None
    advertencias = [f"{coactivado.identificacion}: {coactivado.advertencia}"] if coactivado.advertencia else []
    if nombre_distinto := coactivado_nombre_advertencia(coactivado, nombre):
        advertencias.append(nombre_distinto)
    return coactivado, advertencias


def expediente_abrir(
    *,
    coactivado: Coactivado | None = None,
    identificacion: str | None = None,
    nombre: str = "",
    provincia: str,
    fecha_recepcion: date,
    monto_titulo: Decimal,
    usuario,
    abogado=None,
    numero: str | None = None,
    orden_cobro_numero: str = "",
    orden_cobro_archivo=None,
    titulo_numero: str | None = None,
    titulo_fecha: date | None = None,
    titulo_resolucion: str = "",
    contacto: dict | None = None,
) -> ExpedientePage:
    """Open an expediente under its year (validation happens in Page.save → full_clean,
    inside the transaction: bad input leaves nothing behind). `numero` is only for files that already have
    one (migration of the paper archive); otherwise the next free number is assigned.

    The debtor is either a registered `coactivado` or `identificacion` + `nombre`: then it is
    registered (or found) inside the same transaction, so a failed opening leaves no debtor.
    `contacto` (domicilio, correo, telefono, casillero_judicial) is what the orden de cobro says
    of the debtor (services/coactivados.coactivado_contacto_registrar).
    `expediente.advertencias` lists what the user should read (e.g. the cédula was already
    registered under another name, which is the one used).

    The orden de cobro (its number, and `orden_cobro_archivo`, the scan, a file object with a
    name) becomes the first actuación. The scan goes through the custody pipeline first: it
    is checked (type, antivirus) and stored before the expediente's transaction begins, and
    the whole opening is the pipeline's `registrar`, so a refused file leaves nothing at all,
    and a refused opening removes the stored scan. The Juzgado row is locked only after the
    antivirus and the store have answered."""
    if (coactivado is None) == (identificacion is None):
        raise TypeError("expediente_abrir: indique coactivado= o identificacion= (y nombre=), no ambos.")
    if fecha_recepcion is None:
        raise ValidationError({"fecha_recepcion": "Indique la fecha de recepción de la orden de cobro."})
    juzgado = juzgado_obtener()
    datos = dict(coactivado=coactivado, identificacion=identificacion, nombre=nombre, provincia=provincia,
                 fecha_recepcion=fecha_recepcion, monto_titulo=monto_titulo, usuario=usuario, abogado=abogado,
                 numero=numero, orden_cobro_numero=" ".join((orden_cobro_numero or "").split()),
                 titulo_numero=titulo_numero, titulo_fecha=titulo_fecha, titulo_resolucion=titulo_resolucion,
                 contacto=contacto or {})
    if orden_cobro_archivo is None:
        return _abrir(juzgado, **datos)
    return custodiar(flujo=orden_cobro_archivo, nombre=getattr(orden_cobro_archivo, "name", None),
                     registrar=lambda custodiado: _abrir(juzgado, escaneo=custodiado, **datos))


def _abrir(juzgado, *, coactivado, identificacion, nombre, provincia, fecha_recepcion, monto_titulo, usuario,
           abogado, numero, orden_cobro_numero, titulo_numero, titulo_fecha, titulo_resolucion, contacto,
           escaneo: ArchivoCustodiado | None = None) -> ExpedientePage:
    advertencias: list[str] = []
    with transaction.atomic():
        Page.objects.select_for_update().only("pk").get(pk=juzgado.pk)
        if coactivado is None:
            coactivado, advertencias = _coactivado_de_la_apertura(
                identificacion=identificacion, nombre=nombre, usuario=usuario)
        if numero:
            numero = numero.strip().upper()
            anio_numero, secuencial = _numero_legado(numero)
            if ExpedientePage.objects.filter(numero=numero).exists():
                raise ValidationError({"numero": f"Ya existe el expediente {numero}."})
            anio = anio_numero
        else:
            anio = fecha_recepcion.year
            ultimo = ExpedientePage.objects.filter(anio=anio).aggregate(m=Max("secuencial"))["m"]
            secuencial = (ultimo or 0) + 1
            numero = numero_formatear(anio, secuencial)
        expediente = ExpedientePage(
            numero=numero, anio=anio, secuencial=secuencial, coactivado=coactivado,
            provincia=provincia, fecha_recepcion=fecha_recepcion, orden_cobro_numero=orden_cobro_numero,
            monto_titulo=monto_titulo, abogado=abogado, serie=serie_por_defecto(),
        )
        anio_pagina = _anio_obtener(juzgado, anio, usuario)
        pagina_publicar_nueva(padre=anio_pagina, pagina=expediente, usuario=usuario)
        if abogado is not None:
            asignacion_aplicar(expediente=expediente, anterior=None, nuevo=abogado, usuario=usuario)
        # The orden de cobro brings its título de crédito: the first entry of the ledger.
        orden = f"la orden de cobro N.º {orden_cobro_numero}" if orden_cobro_numero else "la orden de cobro"
        titulo_registrar(
            expediente=expediente, numero=titulo_numero or f"TC-{numero}",
            fecha_emision=titulo_fecha or fecha_recepcion, capital=monto_titulo,
            resolucion=titulo_resolucion or orden,
        )
        advertencias += coactivado_contacto_registrar(
            coactivado=coactivado, usuario=usuario, provincia=provincia,
            fuente=f"Orden de cobro {orden_cobro_numero}".strip(), **contacto)
        if orden_cobro_numero or escaneo is not None:
            actuacion = actuacion_registrar(
                expediente=expediente, tipo=TipoActuacion.ORDEN_DE_COBRO, fecha=fecha_recepcion, usuario=usuario,
                numero=orden_cobro_numero, resumen="Orden de cobro con su título de crédito.")
            if escaneo is not None:
                adjunto_registrar(actuacion=actuacion, titulo="Orden de cobro (escaneo)", custodiado=escaneo,
                                  usuario=usuario)
        plazo_recalcular(expediente)  # the citation's service level starts at the reception
    expediente.advertencias = advertencias
    return expediente
