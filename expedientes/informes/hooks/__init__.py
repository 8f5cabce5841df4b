"""Wagtail hooks of the reports, one module per part (imported by expedientes/wagtail_hooks.py,
which Wagtail discovers): marco (the reports' screens, exports, issuing and the «Informes»
menu, which the others extend with the `register_informes_menu_item` hook), gestion (the
annual management report), panel (the dashboard on the admin home), importacion (the
historical matrices)."""
