from expedientes.identificacion import identificacion_validar
from expedientes.models import Coactivado


def coactivado_registrar(*, identificacion: str, nombre: str, usuario=None) -> Coactivado:
    """Register a debtor, or return the one already registered with that cédula/RUC."""
    numero = identificacion_validar(identificacion).numero
    existente = Coactivado.objects.filter(identificacion=numero).first()
    if existente:
        return existente
    coactivado = Coactivado(identificacion=numero, nombre=nombre, creado_por=usuario)
    coactivado.full_clean()
    coactivado.save()
    return coactivado
