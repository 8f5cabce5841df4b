"""What an editable template may use. Plain dicts and values only: a template written in the
admin can reach these names and nothing else (no model instances, so no path to users,
passwords or other expedientes)."""

from datetime import date
from decimal import Decimal

from django.conf import settings


def _persona(usuario) -> dict:
    from expedientes.services.firmantes import cargo_de

    if usuario is None:
        return {"nombre": "", "cargo": ""}
    return {"nombre": usuario.get_full_name() or usuario.username, "cargo": cargo_de(usuario)}


def _tipo_identificacion(coactivado) -> str:
    """As it reads inside a sentence: «con cédula 0102…», «con RUC 0190…»."""
    from expedientes.identificacion import TipoIdentificacion

    return "cédula" if coactivado.tipo_identificacion == TipoIdentificacion.CEDULA else "RUC"


def cuenta_para_documento(expediente, fecha: date) -> dict:
    """The ledger figures a document prints (and DocumentoEmitido keeps); a ledger that cannot
    be liquidated is a ValidationError with its reason."""
    from expedientes.services.cuenta import cuenta_liquidar_o_rechazar

    cuenta = cuenta_liquidar_o_rechazar(expediente, fecha, para="No se puede generar el documento")
    return {"capital": cuenta.capital, "intereses": cuenta.intereses, "costas": cuenta.costas,
            "pagado": cuenta.pagado_total, "saldo": cuenta.saldo}


def contexto_documento(*, expediente, fecha: date, firmante, extra: dict | None = None) -> dict:
    coactivado = expediente.coactivado
    domicilio = coactivado.domicilios.filter(desactualizado=False).first()
    return {
        "juzgado": {
            "nombre": settings.JUZGADO["NOMBRE"], "entidad": settings.JUZGADO["ENTIDAD"],
            "direccion_regional": settings.JUZGADO["DIRECCION_REGIONAL"], "ciudad": settings.JUZGADO["CIUDAD"],
        },
        "expediente": {
            "numero": expediente.numero, "provincia": expediente.get_provincia_display(),
            "fecha_recepcion": expediente.fecha_recepcion, "monto_titulo": expediente.monto_titulo,
            "orden_cobro": expediente.orden_cobro_numero,
            "estado": expediente.get_estado_display(),
            "abogado": _persona(expediente.abogado)["nombre"],
        },
        "coactivado": {
            "nombre": coactivado.nombre, "identificacion": coactivado.identificacion,
            "tipo_identificacion": _tipo_identificacion(coactivado),
            "domicilio": domicilio.direccion if domicilio else "",
            "correo": coactivado.correo, "casillero_judicial": coactivado.casillero_judicial,
            "telefono": coactivado.telefono,
        },
        "titulos": [
            {"numero": t.numero, "fecha_emision": t.fecha_emision, "resolucion": t.resolucion,
             "capital": t.capital}
            for t in expediente.titulos.all()
        ],
        "cuenta": cuenta_para_documento(expediente, fecha),
        "fecha": fecha,
        "firmante": _persona(firmante),
        **(extra or {}),
    }


def contexto_ejemplo(extra: dict | None = None) -> dict:
    """The same names with sample values: a template is checked against it when saved."""
    monto = Decimal("1234.56")
    hoy = date(2025, 3, 13)
    return {
        "juzgado": {"nombre": "Juzgado de Coactivas", "entidad": "Ministerio del Trabajo",
                    "direccion_regional": "Dirección Regional", "ciudad": "Cuenca"},
        "expediente": {"numero": "MDT-DRTSPC-2025-0042", "provincia": "Azuay", "fecha_recepcion": hoy,
                       "orden_cobro": "OC-2025-0042", "monto_titulo": monto, "estado": "Iniciado", "abogado": "Abogado de ejemplo"},
        "coactivado": {"nombre": "EMPRESA DE EJEMPLO S.A.", "identificacion": "0190000000001",
                       "tipo_identificacion": "RUC", "domicilio": "Av. Solano 1-23",
                       "correo": "notificaciones@ejemplo.ec", "casillero_judicial": "123",
                       "telefono": "07 283 0000"},
        "titulos": [{"numero": "TC-1", "fecha_emision": hoy, "resolucion": "Resolución 1", "capital": monto}],
        "cuenta": {"capital": monto, "intereses": Decimal("10.00"), "costas": Decimal("0.00"),
                   "pagado": Decimal("0.00"), "saldo": Decimal("1244.56")},
        "fecha": hoy,
        "firmante": {"nombre": "Jefe de ejemplo", "cargo": "Funcionario ejecutor"},
        **(extra or {}),
    }


# Extra names some documents need (an oficio is addressed to an entity).
EXTRA_EJEMPLO = {
    "oficio": {"numero": "MDT-DRTSPC-2025-0042-OF-1", "entidad": "Superintendencia de Bancos",
               "destinatario": "Señor/a Superintendente", "referencia": "MDT-DRTSPC-2025-0042-OF-1"},
    "busquedas": [
        {"fecha": date(2025, 3, 13), "registro": "Registro Civil", "resultado": "Sin bienes registrados"},
    ],
    # the asset an auto de embargo seizes (services/embargos.py bien_embargar; absent when it
    # seizes retained funds)
    "bien": {"tipo": "Vehículo", "descripcion": "Camioneta Chevrolet D-Max, placa ABC-1234"},
    # deadlines a document prints (services.documentos.plazos_del_documento)
    "plazos": {
        "respuesta": {"vence": date(2025, 3, 18), "explicacion": "3 días hábiles desde la fecha del oficio"},
        "pago": {"vence": date(2025, 3, 18), "explicacion": "3 días hábiles desde la citación"},
    },
}
