"""Store vs. database: what a crash between the S3 put and the commit can leave behind
(an object version no row points to) and what must never happen (a row whose object is
gone). One listing of the bucket, one query: no per-object round trips."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from . import almacen


@dataclass
class Conciliacion:
    revisadas: int = 0
    huerfanas: list = field(default_factory=list)  # ObjetoAlmacenado with no row
    recientes: int = 0  # orphans younger than the grace period (an upload may be committing)
    faltantes: list = field(default_factory=list)  # rows (uuid) with no object
    eliminadas: int = 0


def custodia_conciliar(*, gracia: timedelta = timedelta(hours=1), eliminar: bool = False) -> Conciliacion:
    from expedientes.models import AdjuntoVersion

    registradas = {
        (clave, version): uuid
        for clave, version, uuid in AdjuntoVersion.objects.values_list("clave", "version_s3", "uuid")
    }
    informe = Conciliacion()
    limite = datetime.now(timezone.utc) - gracia
    vistas = set()
    for version in almacen.versiones():
        informe.revisadas += 1
        par = (version["Key"], version["VersionId"])
        vistas.add(par)
        if par in registradas:
            continue
        if version["LastModified"] > limite:
            informe.recientes += 1
            continue
        objeto = almacen.ObjetoAlmacenado(*par)
        informe.huerfanas.append(objeto)
        if eliminar:
            almacen.eliminar(objeto)
            informe.eliminadas += 1
    informe.faltantes = [uuid for par, uuid in registradas.items() if par not in vistas]
    return informe
