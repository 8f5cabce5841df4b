"""The documents of a transferencia primaria, rendered with no row locked (the services take
them into custody afterwards): the inventory as XLSX (openpyxl) and PDF, and the acta de
entrega-recepción (WeasyPrint, templates/archivo/transferencias/). One row per expediente:
n.º, código, título, fechas extremas, folios, caja, soporte; a header block with the
institution and its classification (fondo, sección, serie) and a totals row."""

import io

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from expedientes.documentos import pdf_renderizar
from expedientes.formato import fecha

COLUMNAS = ("N.º", "Código", "Título", "Fecha inicial", "Fecha final", "Folios", "Caja", "Soporte")
TOTAL = "Total"


def _clasificacion(items) -> dict:
    """Fondo, sección and serie of the expedientes handed over (distinct, in order)."""
    def distintos(valores):
        return "; ".join(dict.fromkeys(v for v in valores if v)) or "—"

    series = [i.expediente.serie for i in items]
    return {
        "fondo": distintos(str(s.seccion.fondo) for s in series if s),
        "seccion": distintos(str(s.seccion) for s in series if s),
        "serie": distintos(str(s) for s in series if s),
    }


def contexto(transferencia, items, *, usuario, fecha_documento=None) -> dict:
    """What the three documents print. `items` with expediente__serie__seccion__fondo."""
    return {
        "transferencia": transferencia,
        "items": items,
        "total_folios": sum(i.folios for i in items),
        "desde": min((i.fecha_inicial for i in items), default=None),
        "hasta": max((i.fecha_final for i in items), default=None),
        "juzgado": settings.JUZGADO,
        "clasificacion": _clasificacion(items),
        "fecha": fecha_documento or timezone.localdate(),
        "usuario": usuario.get_full_name() or usuario.get_username(),
    }


def inventario_xlsx(datos: dict) -> bytes:
    libro = Workbook()
    hoja = libro.active
    hoja.title = "Inventario"
    negrita = Font(bold=True)
    juzgado, clasificacion = datos["juzgado"], datos["clasificacion"]
    hoja.append(["Inventario de transferencia primaria"])
    hoja["A1"].font = Font(bold=True, size=13)
    for etiqueta, valor in (
        ("Institución", f"{juzgado['ENTIDAD']} · {juzgado['DIRECCION_REGIONAL']}"),
        ("Unidad productora", juzgado["NOMBRE"]),
        ("Fondo", clasificacion["fondo"]), ("Sección", clasificacion["seccion"]),
        ("Serie", clasificacion["serie"]),
        ("Transferencia", datos["transferencia"].numero), ("Fecha", fecha(datos["fecha"])),
    ):
        hoja.append([etiqueta, valor])
        hoja.cell(row=hoja.max_row, column=1).font = negrita
    hoja.append([])
    hoja.append(list(COLUMNAS))
    for celda in hoja[hoja.max_row]:
        celda.font = negrita
    for item in datos["items"]:
        hoja.append([item.orden, item.codigo, item.titulo, item.fecha_inicial, item.fecha_final,
                     item.folios, item.caja, item.get_soporte_display()])
        for columna in (4, 5):
            hoja.cell(row=hoja.max_row, column=columna).number_format = "dd/mm/yyyy"
    hoja.append([TOTAL, f"{len(datos['items'])} expedientes", None, None, None, datos["total_folios"]])
    for celda in hoja[hoja.max_row]:
        celda.font = negrita
    for columna, ancho in zip("ABCDEFGH", (8, 26, 50, 13, 13, 9, 14, 22)):
        hoja.column_dimensions[columna].width = ancho
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def inventario_pdf(datos: dict) -> bytes:
    return pdf_renderizar("archivo/transferencias/inventario.html", datos)


def acta_pdf(datos: dict) -> bytes:
    return pdf_renderizar("archivo/transferencias/acta_entrega.html", datos)
