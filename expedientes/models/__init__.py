from .actuacion import ActuacionPage, TipoActuacion
from .adjunto import Adjunto, AdjuntoVersion, EstadoFirma, EstadoTexto, ObjetoCustodiado
from .arbol import AnioPage, JuzgadoIndexPage
from .bienes import BienEmbargado, EstadoBien, Remate, ResultadoRemate, TipoBien
from .calendario import DiaEspecial
from .citacion import Citacion, FormaCitacion
from .coactivado import Coactivado, Domicilio
from .dossier import ActualizacionJuicio, DossierActuacion, DossierInsolvencia, EstadoDossier, EstadoJuicio
from .cuenta import Costa, ConvenioPago, Cuota, EstadoConvenio, OrigenPago, Pago, TasaInteres, TasaInteresCambio, TituloCredito, TramoCuenta
from .expediente import ExpedientePage, Provincia
from .medidas import (
    ABIERTAS, Busqueda, Entidad, EstadoMedida, MedidaCautelar, ObjetoBusqueda, PublicacionPrensa,
    RegistroPublico,
)
from .plantilla import ClaveDocumento, DocumentoEmitido, PlantillaDocumento
from .transicion import Correccion, EnvioFormulario, Transicion
from .importacion import FilaImportada, FormatoMatriz, ImportacionMatriz, LibroPendiente
from .lectura import BusquedaGuardada, OrigenTexto, PaginaTexto, RendicionOCR
from .unidad import DocumentoUnidad, InformeEmitido, TipoDocumentoUnidad

__all__ = [
    "EstadoFirma",
    "EstadoTexto",
    "ObjetoCustodiado",
    "OrigenTexto",
    "PaginaTexto",
    "BusquedaGuardada",
    "RendicionOCR",
    "ABIERTAS",
    "Busqueda",
    "Entidad",
    "EstadoMedida",
    "MedidaCautelar",
    "ObjetoBusqueda",
    "PublicacionPrensa",
    "RegistroPublico",
    "ActuacionPage",
    "ActualizacionJuicio",
    "BienEmbargado",
    "EstadoBien",
    "Remate",
    "ResultadoRemate",
    "TipoBien",
    "Adjunto",
    "AdjuntoVersion",
    "AnioPage",
    "Citacion",
    "ClaveDocumento",
    "Coactivado",
    "Correccion",
    "DocumentoEmitido",
    "EnvioFormulario",
    "ConvenioPago",
    "Costa",
    "Cuota",
    "DiaEspecial",
    "DocumentoUnidad",
    "FilaImportada",
    "FormatoMatriz",
    "ImportacionMatriz",
    "LibroPendiente",
    "DossierActuacion",
    "DossierInsolvencia",
    "Domicilio",
    "EstadoConvenio",
    "EstadoDossier",
    "EstadoJuicio",
    "ExpedientePage",
    "FormaCitacion",
    "InformeEmitido",
    "JuzgadoIndexPage",
    "OrigenPago",
    "Pago",
    "PlantillaDocumento",
    "Provincia",
    "TasaInteres",
    "TasaInteresCambio",
    "TramoCuenta",
    "TipoDocumentoUnidad",
    "TipoActuacion",
    "TituloCredito",
    "Transicion",
]
