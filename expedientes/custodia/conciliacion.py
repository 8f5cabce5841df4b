"""Store vs. database: what a crash between the S3 put and the commit, or a caller's
transaction that rolls back after custodiar, leaves behind (an object version no row points
to) and what must never happen (a row whose object is gone). One listing of the bucket, one
query, and a HEAD plus two small queries per candidate orphan only.

Never removes an object whose transaction may still commit: custodiar reserves each key in
the writing transaction before the put (reserva.py); an orphan is removed only once that
reservation is free (the transaction is over) and the row is still absent when checked
again. Objects without a reservation (written before it existed) keep the grace period."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from botocore.exceptions import ClientError
from django.db import transaction

from . import almacen, registros, reserva


@dataclass
class Conciliacion:
    revisadas: int = 0
    huerfanas: list = field(default_factory=list)  # ObjetoAlmacenado with no row
    recientes: int = 0  # unreserved orphans younger than the grace period (legacy objects)
    en_curso: int = 0  # orphans whose writing transaction is still open: may still commit
    faltantes: list = field(default_factory=list)  # rows (uuid) with no object
    eliminadas: int = 0
    # orphans the store refuses to remove (Object Lock retention or legal hold: e.g. a transfer
    # whose commit failed after locking): reported, kept
    retenidas: list = field(default_factory=list)


def _reservado(objeto: almacen.ObjetoAlmacenado) -> bool | None:
    """Was the key reserved by its writer? None if the version is gone meanwhile."""
    metadatos = almacen.metadatos(objeto)
    if metadatos is None:
        return None
    return reserva.disponible() and metadatos.get(reserva.METADATO) == reserva.MARCA


def _transaccion_terminada(objeto: almacen.ObjetoAlmacenado) -> bool:
    # A short transaction of its own: the try-lock never waits, and if granted it is let go
    # at once (the writer is gone; nobody else will ever write this random key).
    with transaction.atomic():
        return reserva.reserva_libre(objeto.clave)


def custodia_conciliar(*, gracia: timedelta = timedelta(hours=1), eliminar: bool = False) -> Conciliacion:
    """Call it outside any transaction (as the management command does)."""
    # A first read of the rows: stale for any upload committing meanwhile, so each
    # candidate orphan is checked again below before anything is removed.
    registradas = {
        (clave, version): uuid
        for modelo in registros.modelos()
        for clave, version, uuid in registros.identificados(modelo)
    }
    vigentes = {par for modelo in registros.modelos()
                for par in registros.vigentes(modelo).values_list("clave", "version_s3")}
    informe = Conciliacion()
    limite = datetime.now(timezone.utc) - gracia
    vistas = set()
    for version in almacen.versiones():
        informe.revisadas += 1
        par = (version["Key"], version["VersionId"])
        vistas.add(par)
        if par in registradas:
            continue
        objeto = almacen.ObjetoAlmacenado(*par)
        if version["LastModified"] > limite:
            reservado = _reservado(objeto)
            if reservado is None:
                continue
            if not reservado:
                informe.recientes += 1
                continue
        if reserva.disponible() and not _transaccion_terminada(objeto):
            informe.en_curso += 1
            continue
        # The writer's transaction is over: a new statement sees its commit, if it committed.
        if any(modelo.objects.filter(clave=objeto.clave, version_s3=objeto.version_s3).exists()
               for modelo in registros.modelos()):
            continue
        informe.huerfanas.append(objeto)
        if eliminar:
            try:
                almacen.eliminar(objeto)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "AccessDenied":
                    raise
                informe.retenidas.append(objeto)
                continue
            informe.eliminadas += 1
    informe.faltantes = [uuid for par, uuid in registradas.items() if par not in vistas and par in vigentes]
    return informe
