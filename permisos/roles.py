"""The unit's roles as Django groups, and what each may do in the file room for now.
Object-level grants (an abogado's own expedientes, dossiers for Asesoría Jurídica,
transfers for the Archivo Central) come with django-guardian in the permissions issue."""

from dataclasses import dataclass

ROL_SECRETARIA = "Secretaría de coactivas"
ROL_ABOGADO = "Abogado"
ROL_JEFE = "Jefe de coactivas"
ROL_ARCHIVISTA = "Archivista"
ROL_ASESORIA = "Asesoría Jurídica"
ROL_AUDITOR = "Auditor"
ROL_ADMINISTRADOR = "Administrador del sistema"


@dataclass(frozen=True)
class Rol:
    nombre: str
    descripcion: str
    # Wagtail page permissions on the Juzgado de Coactivas subtree
    permisos_juzgado: tuple[str, ...] = ()
    # Django model permissions ("app_label.codename")
    permisos_modelo: tuple[str, ...] = ()


_REGISTRO_COACTIVADOS = (
    "expedientes.add_coactivado", "expedientes.change_coactivado", "expedientes.view_coactivado",
)


ROLES = (
    Rol(ROL_SECRETARIA, "Abre expedientes, registra actuaciones y adjunta documentos.",
        ("add_page", "change_page", "publish_page"),
        _REGISTRO_COACTIVADOS + ("expedientes.view_diaespecial", "expedientes.view_tasainteres",
                                 "expedientes.view_plantilladocumento")),
    Rol(ROL_ABOGADO, "Impulsa los procesos: actuaciones, providencias y adjuntos.",
        ("add_page", "change_page", "publish_page"),
        _REGISTRO_COACTIVADOS + ("expedientes.view_diaespecial", "expedientes.view_tasainteres",
                                 "expedientes.view_plantilladocumento")),
    Rol(ROL_JEFE, "Funcionario ejecutor: firma, decide y supervisa.",
        ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
        # the jefe keeps the legal calendar (decreed days, corrections), the interest-rate
        # table and the wording of the templates; rates and templates are never deleted
        _REGISTRO_COACTIVADOS + ("expedientes.add_diaespecial", "expedientes.change_diaespecial",
                                 "expedientes.view_diaespecial",
                                 "expedientes.add_tasainteres", "expedientes.change_tasainteres",
                                 "expedientes.view_tasainteres",
                                 "expedientes.change_plantilladocumento",
                                 "expedientes.view_plantilladocumento",
                                 # only the jefe ends a file by baja, corrects its data
                                 # and assigns (or reassigns) its lawyer
                                 "expedientes.baja_expediente",
                                 "expedientes.corregir_expediente",
                                 "expedientes.asignar_expediente",
                                 # assembles insolvency dossiers, sees them all, shares
                                 # them with Asesoría Jurídica and withdraws them
                                 "expedientes.add_dossierinsolvencia",
                                 "expedientes.view_dossierinsolvencia",
                                 "expedientes.compartir_dossierinsolvencia")),
    Rol(ROL_ARCHIVISTA, "Archivo Central: recibe transferencias y custodia."),
    # Nothing at model level, on purpose: a model permission on dossiers would open them
    # all. It sees (view) and acknowledges / follows the lawsuit (change) only the dossiers
    # shared with its group, one guardian row each (permisos.services.dossier_compartir).
    Rol(ROL_ASESORIA, "Recibe los dossiers de insolvencia que se le comparten."),
    Rol(ROL_AUDITOR, "Consulta de solo lectura para control y auditoría."),
)
