from .actuacion import ActuacionPage, TipoActuacion
from .adjunto import Adjunto, AdjuntoVersion
from .arbol import AnioPage, JuzgadoIndexPage
from .coactivado import Coactivado
from .expediente import ExpedientePage, Provincia

__all__ = [
    "ActuacionPage",
    "Adjunto",
    "AdjuntoVersion",
    "AnioPage",
    "Coactivado",
    "ExpedientePage",
    "JuzgadoIndexPage",
    "Provincia",
    "TipoActuacion",
]
