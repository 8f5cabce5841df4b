"""Who signs a document: chosen when it is generated, never simply whoever clicks. The
funcionario ejecutor (the jefe) signs by default; the secretaría signs the oficios. The
document prints the signer's name and the legal title of their role (permisos.roles.CARGO_DE)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from expedientes.models import ClaveDocumento
from permisos.roles import CARGO_DE, ROL_JEFE, ROL_SECRETARIA

# the roles whose members may sign, in the order a signer's title is chosen
ROLES_FIRMANTES = tuple(CARGO_DE)
# documents the secretaría signs by default; every other one, the funcionario ejecutor
FIRMA_SECRETARIA = (ClaveDocumento.OFICIO_RETENCION, ClaveDocumento.OFICIO_LEVANTAMIENTO)


def firmantes_posibles():
    """Active users who hold a signing role, by name."""
    return (get_user_model().objects.filter(groups__name__in=ROLES_FIRMANTES, is_active=True)
            .distinct().order_by("first_name", "last_name", "username"))


def firmante_rol(clave: str) -> str:
    return ROL_SECRETARIA if clave in FIRMA_SECRETARIA else ROL_JEFE


def firmante_predeterminado(clave: str):
    """The first active user (by name) holding the role that signs this document, or None."""
    return firmantes_posibles().filter(groups__name=firmante_rol(clave)).first()


def cargo_de(usuario) -> str:
    """The legal title printed under the signer's name ("" for a user with no signing role)."""
    if usuario is None:
        return ""
    grupos = set(usuario.groups.values_list("name", flat=True))
    return next((CARGO_DE[rol] for rol in ROLES_FIRMANTES if rol in grupos), "")


def firmante_resolver(clave: str, firmante=None):
    """The signer of a document: the one chosen, who must hold a signing role, or the
    default for the document. A ValidationError says what to do when there is none."""
    if firmante is None:
        firmante = firmante_predeterminado(clave)
        if firmante is None:
            raise ValidationError({"firmante": (
                f"No hay un usuario activo con el rol «{firmante_rol(clave)}» que firme "
                f"«{ClaveDocumento(clave).label}»: elija quién lo firma."
            )})
        return firmante
    if not firmantes_posibles().filter(pk=firmante.pk).exists():
        nombre = firmante.get_full_name() or firmante.username
        raise ValidationError({"firmante": (
            f"{nombre} no puede firmar documentos: firman el funcionario ejecutor, la secretaría "
            "y los abogados de coactivas."
        )})
    return firmante
