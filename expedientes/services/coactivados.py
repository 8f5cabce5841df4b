from django.db import IntegrityError, transaction

from expedientes.identificacion import TipoIdentificacion, identificacion_validar
from expedientes.models import Coactivado, Domicilio


def coactivado_registrar(*, identificacion: str, nombre: str, usuario=None) -> Coactivado:
    """Register a debtor, or return the one already registered with that cédula/RUC.

    Race-free: two simultaneous registrations of one cédula both return the same row. The
    insert runs in a savepoint; the loser of the race (unique index) reads the winner's row.
    The registered name is kept: see coactivado_nombre_advertencia for a different one."""
    numero = identificacion_validar(identificacion).numero
    existente = Coactivado.objects.filter(identificacion=numero).first()
    if existente:
        return existente
    coactivado = Coactivado(identificacion=numero, nombre=nombre, creado_por=usuario)
    # the unique check would only repeat the read above; the index decides
    coactivado.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            coactivado.save()
    except IntegrityError:
        ganador = Coactivado.objects.filter(identificacion=numero).first()
        if ganador is None:  # not the race on the cédula
            raise
        return ganador
    return coactivado


def _nombre_normalizado(nombre: str) -> str:
    return " ".join((nombre or "").split()).casefold()


def coactivado_nombre_advertencia(coactivado: Coactivado, nombre: str) -> str:
    """The typed name differs from the registered one (beyond spaces and capitals): say
    which one was used and how to correct it; "" when they agree."""
    if not nombre or _nombre_normalizado(nombre) == _nombre_normalizado(coactivado.nombre):
        return ""
    if coactivado.tipo_identificacion == TipoIdentificacion.RUC:
        documento, registrado = "El RUC", "registrado"
    else:
        documento, registrado = "La cédula", "registrada"
    return (
        f"{documento} {coactivado.identificacion} ya está {registrado} como «{coactivado.nombre}»; "
        f"se usó ese nombre (usted escribió «{' '.join(nombre.split())}»). Para corregirlo, edite "
        "el coactivado en Registros → Coactivados."
    )


def _texto(valor: str) -> str:
    return " ".join((valor or "").split())


CONTACTOS = (("correo", "el correo electrónico"), ("telefono", "el teléfono"),
             ("casillero_judicial", "el casillero judicial"))


def coactivado_contacto_registrar(*, coactivado: Coactivado, usuario, provincia: str = "", fuente: str = "",
                                  domicilio: str = "", **contacto) -> list[str]:
    """The contact data an orden de cobro brings (domicilio, correo, telefono,
    casillero_judicial), inside the caller's transaction. An address that is not the current
    one is added to the debtor's addresses (none is ever overwritten: DOMAIN.md); a correo,
    teléfono or casillero replaces the registered one, and the user reads what it was.
    Returns those notices."""
    avisos = []
    domicilio = _texto(domicilio)
    vigente = coactivado.domicilios.filter(desactualizado=False).first()
    if domicilio and (vigente is None or vigente.direccion.casefold() != domicilio.casefold()):
        nuevo = Domicilio(coactivado=coactivado, direccion=domicilio, provincia=provincia, fuente=fuente,
                          registrado_por=usuario)
        nuevo.full_clean()
        nuevo.save()
        if vigente is not None:
            avisos.append(f"Se registró el domicilio «{domicilio}» del coactivado; el anterior («{vigente.direccion}») "
                          "se conserva en su historial.")
    cambios = []
    for campo, nombre in CONTACTOS:
        valor = _texto(contacto.get(campo, ""))
        anterior = getattr(coactivado, campo)
        if valor and valor != anterior:
            setattr(coactivado, campo, valor)
            cambios.append(campo)
            if anterior:
                avisos.append(f"Se actualizó {nombre} del coactivado: antes «{anterior}», ahora «{valor}».")
    if cambios:
        coactivado.full_clean(validate_unique=False)
        coactivado.save(update_fields=cambios)
    return avisos
