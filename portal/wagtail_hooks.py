from wagtail import hooks

# the document and image libraries are closed; «help» points to Wagtail's site, not ours
CERRADOS = {"documents", "images", "help"}


@hooks.register("construct_main_menu")
def ocultar_bibliotecas_de_archivos(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in CERRADOS]


# order: after wagtail.documents and wagtail.images have added theirs to the same list
@hooks.register("construct_homepage_summary_items", order=100)
def ocultar_resumen_de_bibliotecas(request, summary_items):
    summary_items[:] = [
        item for item in summary_items
        if type(item).__module__.split(".")[1] not in {"documents", "images"}
    ]
