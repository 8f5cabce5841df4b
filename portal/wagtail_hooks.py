from wagtail import hooks

# the document and image libraries are closed; «help» points to Wagtail's site, not ours
CERRADOS = {"documents", "images", "help"}


@hooks.register("construct_main_menu")
def ocultar_bibliotecas_de_archivos(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in CERRADOS]
