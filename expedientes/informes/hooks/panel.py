"""Wagtail hooks: panel (see the package docstring). The dashboard's charts on the admin home
(expedientes/informes/tablero.py) for whoever may read the reports: the jefe, the secretaría,
the auditor and an abogado (his own expedientes). The archivista, Asesoría Jurídica and the
administrador keep the home they have."""

from wagtail import hooks


@hooks.register("construct_homepage_panels")
def panel_tablero(request, panels):
    from expedientes.informes.tablero import TableroPanel, tablero_puede_ver

    if tablero_puede_ver(request.user):
        panels.append(TableroPanel(request))
