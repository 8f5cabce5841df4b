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
                                 # reads and exports the custody log
                                 "permisos.ver_registro_custodia")),
    Rol(ROL_ARCHIVISTA, "Archivo Central: recibe transferencias y custodia."),
    Rol(ROL_ASESORIA, "Recibe expedientes de insolvencia."),
    Rol(ROL_AUDITOR, "Consulta de solo lectura para control y auditoría.",
        permisos_modelo=("permisos.ver_registro_custodia",)),
)
