"""The unit's roles as Django groups, written once; `roles_configurar` (permisos/services.py)
seeds them idempotently. Who sees which expediente is decided in permisos/policies.py:
- jefe and secretaría: the whole unit (Wagtail page permissions on the Juzgado);
- abogado: only the expedientes assigned to them (guardian rows that follow the assignment);
- auditor: reads everything (model permission view_expedientepage), changes nothing;
- asesoría jurídica: only the dossiers shared with it;
- archivista: what the archive hands over (guardian group rows on closed or transferred files);
- administrador del sistema: users and roles, no expediente."""

from dataclasses import dataclass

ROL_SECRETARIA = "Secretaría de coactivas"
ROL_ABOGADO = "Abogado"
ROL_JEFE = "Jefe de coactivas"
ROL_ARCHIVISTA = "Archivista"
ROL_ASESORIA = "Asesoría Jurídica"
ROL_AUDITOR = "Auditor"
ROL_ADMINISTRADOR = "Administrador del sistema"

# What a signer's role prints under their name in a document (the legal title, not the
# group's name); the person's gender is not recorded, hence the paired forms.
CARGO_DE = {
    ROL_JEFE: "Funcionario ejecutor",
    ROL_SECRETARIA: "Secretario/a de coactivas",
    ROL_ABOGADO: "Abogado/a de coactivas",
}


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

# The archive (archivo/): what each role does there.
_ARCHIVO_LECTURA = tuple(f"archivo.view_{m}" for m in (
    "fondo", "seccion", "serie", "cierre", "caja", "estante", "ubicacionfisica", "prestamo",
    "procesoimpugnado", "transferencia", "bloqueolegal", "bajadocumental", "documentoarchivo",
    "auditoriafijeza"))
# the unit's archivo de gestión: closing files, their boxes and loans, preparing transfers
_ARCHIVO_GESTION = _ARCHIVO_LECTURA + (
    "archivo.cerrar_expediente", "archivo.solicitar_transferencia",
    "archivo.add_caja", "archivo.change_caja", "archivo.add_estante", "archivo.change_estante",
    "archivo.add_ubicacionfisica", "archivo.add_prestamo", "archivo.change_prestamo")

# The unit's reports (expedientes/informes/): computed over the expedientes the viewer sees;
# issuing freezes one (a record in custody), importing the historical matrices writes files.
_INFORMES_CONSULTA = ("expedientes.ver_informes",)
_INFORMES_EMISION = _INFORMES_CONSULTA + ("expedientes.emitir_informe", "expedientes.view_informeemitido",
                                          "expedientes.view_documentounidad")


ROLES = (
    Rol(ROL_SECRETARIA, "Abre expedientes, registra actuaciones y adjunta documentos.",
        ("add_page", "change_page", "publish_page"),
        _REGISTRO_COACTIVADOS + ("expedientes.view_diaespecial", "expedientes.view_tasainteres",
                                 "expedientes.view_plantilladocumento",
                                 # annuls a payment recorded by mistake (services/pagos.py)
                                 "expedientes.anular_pago") + _ARCHIVO_GESTION
        + _INFORMES_EMISION + ("expedientes.importar_matriz",)),
    # no page permission on the Juzgado: an abogado works on what is assigned to them
    Rol(ROL_ABOGADO, "Impulsa los procesos asignados: actuaciones, providencias y adjuntos.",
        (),
        _REGISTRO_COACTIVADOS + ("expedientes.view_diaespecial", "expedientes.view_tasainteres",
                                 "expedientes.view_plantilladocumento") + _INFORMES_CONSULTA),
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
                                 "expedientes.anular_pago",
                                 # reads and exports the custody log
                                 "permisos.ver_registro_custodia",
                                 # assembles insolvency dossiers, sees them all, shares
                                 # them with Asesoría Jurídica and withdraws them
                                 "expedientes.add_dossierinsolvencia",
                                 "expedientes.view_dossierinsolvencia",
                                 "expedientes.compartir_dossierinsolvencia")
        # the archive: authorises reopenings, holds and disposals, and leads the clean-up of
        # the contested cases with the archivist
        + _ARCHIVO_GESTION + ("archivo.reabrir_expediente", "archivo.poner_bloqueo",
                              "archivo.levantar_bloqueo", "archivo.depurar_impugnados",
                              "archivo.autorizar_baja")
        + _INFORMES_EMISION + ("expedientes.importar_matriz",)),
    # Sees an expediente only through the group rows the archive gives it (a transfer
    # requested or received, a contested case selected for the clean-up): never the unit's.
    Rol(ROL_ARCHIVISTA, "Archivo Central: recibe transferencias y custodia.", (),
        _ARCHIVO_LECTURA + (
            "archivo.add_fondo", "archivo.change_fondo", "archivo.add_seccion", "archivo.change_seccion",
            "archivo.add_serie", "archivo.change_serie",
            "archivo.cotejar_transferencia", "archivo.poner_bloqueo", "archivo.levantar_bloqueo",
            "archivo.depurar_impugnados", "archivo.add_bajadocumental", "archivo.change_bajadocumental",
            "archivo.ejecutar_baja", "archivo.auditar_fijeza",
            "archivo.add_caja", "archivo.change_caja", "archivo.add_estante", "archivo.change_estante",
            "archivo.add_ubicacionfisica", "archivo.add_prestamo", "archivo.change_prestamo")),
    # Nothing at model level, on purpose: a model permission on dossiers would open them
    # all. It sees (view) and acknowledges / follows the lawsuit (change) only the dossiers
    # shared with its group, one guardian row each (permisos.services.dossier_compartir).
    Rol(ROL_ASESORIA, "Recibe los dossiers de insolvencia que se le comparten."),
    Rol(ROL_AUDITOR, "Consulta de solo lectura para control y auditoría.", (),
        ("expedientes.view_expedientepage", "expedientes.view_actuacionpage",
         "expedientes.view_coactivado", "expedientes.view_diaespecial",
         "expedientes.view_tasainteres", "expedientes.view_plantilladocumento",
         "expedientes.view_dossierinsolvencia", "permisos.ver_registro_custodia") + _ARCHIVO_LECTURA
        # reads the reports and the issued ones (collection figures, reconciliation); issues none
        + _INFORMES_CONSULTA + ("expedientes.view_informeemitido", "expedientes.view_documentounidad")),
    Rol(ROL_ADMINISTRADOR, "Administra usuarios y roles; no consulta expedientes.", (),
        ("auth.add_user", "auth.change_user", "auth.view_user", "auth.view_group")),
)
