"""Folios: the pages of an expediente numbered in one run, as the paper file is. The order is
the foliado's (expedientes/services/foliado.py: versiones_vigentes): actuaciones by date and
tree order, each one's files in the order they were added, each file at its latest version
(versions destroyed by a baja documental are out). A version's page count is
`AdjuntoVersion.paginas`, written when its text is read (expedientes/services/texto.py); a
version not read yet counts as one page, and says so (`paginas_conocidas`).

The search (a hit's folio) and the reader (open at a folio, move between documents) both ask
here: one definition of «folio»."""

from __future__ import annotations

from dataclasses import dataclass

from expedientes.models import AdjuntoVersion, ExpedientePage
from expedientes.selectors import actuaciones_de


@dataclass(frozen=True)
class Documento:
    version: AdjuntoVersion
    desde: int  # first folio
    hasta: int  # last folio
    paginas_conocidas: bool

    def folio(self, pagina: int) -> int:
        """The folio of page `pagina` (1-based) of this version."""
        return self.desde + max(1, min(pagina, self.hasta - self.desde + 1)) - 1


def documentos_foliados(expediente: ExpedientePage) -> list[Documento]:
    """The expediente's documents in folio order, with their first and last folio. Two queries."""
    from expedientes.services.foliado import versiones_vigentes

    actuaciones = list(actuaciones_de(expediente))
    return _foliar(actuaciones, versiones_vigentes(actuaciones))


def documentos_foliados_de(expedientes: list[ExpedientePage]) -> dict[int, list[Documento]]:
    """documentos_foliados of several expedientes (a page of search hits) in two queries: the
    same actuaciones (live children, by date and tree order) and the same versions."""
    from expedientes.models import ActuacionPage
    from expedientes.services.foliado import versiones_vigentes

    if not expedientes:
        return {}
    caminos = {e.path: e.pk for e in expedientes}
    # the stored parent (indexed), checked against the tree: an actuación is a direct child
    actuaciones = [a for a in ActuacionPage.objects.live().filter(expediente_id__in=caminos.values())
                   .order_by("fecha", "path") if a.path[:-ActuacionPage.steplen] in caminos]
    por_actuacion = versiones_vigentes(actuaciones)
    por_expediente = {pk: [] for pk in caminos.values()}
    for actuacion in actuaciones:
        por_expediente[caminos[actuacion.path[:-ActuacionPage.steplen]]].append(actuacion)
    return {pk: _foliar(acts, por_actuacion) for pk, acts in por_expediente.items()}


def _foliar(actuaciones, por_actuacion) -> list[Documento]:
    documentos, siguiente = [], 1
    for actuacion in actuaciones:
        for version in por_actuacion.get(actuacion.pk, []):
            paginas = version.paginas or 1
            documentos.append(Documento(version, siguiente, siguiente + paginas - 1, version.paginas is not None))
            siguiente += paginas
    return documentos


def documento_de(documentos: list[Documento], version_id: int) -> Documento | None:
    return next((d for d in documentos if d.version.pk == version_id), None)


def documento_del_folio(documentos: list[Documento], folio: int) -> tuple[Documento, int] | None:
    """The document holding `folio` and the page within it."""
    for d in documentos:
        if d.desde <= folio <= d.hasta:
            return d, folio - d.desde + 1
    return None
