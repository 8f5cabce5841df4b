"""Cédula and RUC validation with python-stdnum (stdnum.ec.ci / stdnum.ec.ruc): the
maintained implementation of the Registro Civil / SRI check digits, rather than our own."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.ec import ci, ruc


class TipoIdentificacion(models.TextChoices):
    CEDULA = "cedula", _("Cédula")
    RUC = "ruc", _("RUC")


@dataclass(frozen=True)
class Identificacion:
    numero: str
    tipo: str
    advertencia: str = ""


def identificacion_validar(valor: str) -> Identificacion:
    """Return the compact number and its kind, or raise a ValidationError in Spanish.

    Some real company RUCs fail the checksum (the SRI no longer derives them by algorithm,
    DOMAIN.md): a well-formed RUC whose only fault is the check digit is accepted with a warning.
    """
    numero = ruc.compact(valor or "")
    if not numero:
        raise ValidationError(_("Ingrese la cédula o el RUC."), code="requerido")
    if not numero.isdigit():
        raise ValidationError(
            _("La identificación «%(valor)s» solo puede contener dígitos."),
            code="formato", params={"valor": valor},
        )
    if len(numero) == 10:
        try:
            ci.validate(numero)
        except stdnum_errors.InvalidChecksum:
            raise ValidationError(
                _("La cédula %(numero)s no es válida: el dígito verificador no corresponde."),
                code="verificador", params={"numero": numero},
            ) from None
        except stdnum_errors.ValidationError:
            raise ValidationError(
                _("La cédula %(numero)s no es válida: el código de provincia o el tercer "
                  "dígito no corresponden."),
                code="componente", params={"numero": numero},
            ) from None
        return Identificacion(numero, TipoIdentificacion.CEDULA)
    if len(numero) == 13:
        try:
            ruc.validate(numero)
        except stdnum_errors.InvalidChecksum:
            return Identificacion(
                numero, TipoIdentificacion.RUC,
                str(_("RUC con dígito verificador no válido: verifique en el SRI.")),
            )
        except stdnum_errors.ValidationError:
            raise ValidationError(
                _("El RUC %(numero)s no es válido: el código de provincia, el tipo de "
                  "contribuyente o el establecimiento no corresponden."),
                code="componente", params={"numero": numero},
            ) from None
        return Identificacion(numero, TipoIdentificacion.RUC)
    raise ValidationError(
        _("La identificación debe tener 10 dígitos (cédula) o 13 dígitos (RUC); "
          "«%(valor)s» tiene %(n)s."),
        code="longitud", params={"valor": valor, "n": len(numero)},
    )
