# The access and custody log is Wagtail's own audit log (PageLogEntry), with the actions
# registered in permisos/wagtail_hooks.py: it appears in each page's history and in the
# admin's «Historial del sitio» report, filterable and exportable. Object permissions
# (django-guardian) come with the permissions issue.
