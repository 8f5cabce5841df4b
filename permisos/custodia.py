"""The custody log: one writer (registro_anotar) and one verifier (cadena_verificar).

Each entry's hash is the SHA-256 of a canonical text of all its fields (sorted-key JSON,
the instant in UTC with microseconds) including the hash of the entry before it: a chain.
Entries are numbered 1, 2, 3... with no gaps. Changing an entry breaks its own hash;
rewriting its hash too breaks the link of the next one; removing one leaves a gap or a
broken link. The database refuses UPDATE, DELETE and TRUNCATE besides (models.py); the
chain is what proves, afterwards, that nothing was done around those triggers.

What the chain cannot show on its own is the loss of the newest entries: the command
prints the last number and hash, to be noted outside the system if that matters."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .direcciones import direccion_de, ip_normalizar
from .models import RegistroCustodia

Accion = RegistroCustodia.Accion
GENESIS = "0" * 64  # the «previous hash» of entry 1
# The fields a hash covers, in the stored row's terms.
CAMPOS = ("secuencia", "registrado_en", "usuario_id", "usuario_nombre", "accion",
          "expediente_id", "objeto", "ip", "sha256", "datos", "hash_anterior")
# pg_advisory_xact_lock(int, int): the two-key space never meets the one-key locks of
# expedientes/custodia/reserva.py. 0x636F61 is «coa».
_CERROJO = (0x636F61, 1)


def _texto(valor) -> str:
    return str(valor or "").replace("\x00", "")  # PostgreSQL text takes no NUL


def datos_normalizar(valor):
    """Datos as the database gives them back (text, integers, booleans, null, lists,
    objects), so the hash computed before the insert is the one recomputed after reading:
    dates, decimals, UUIDs and floats become text."""
    if valor is None or isinstance(valor, (bool, int)):
        return valor
    if isinstance(valor, str):
        return _texto(valor)
    if isinstance(valor, dict):
        return {_texto(k): datos_normalizar(v) for k, v in valor.items()}
    if isinstance(valor, (list, tuple)):
        return [datos_normalizar(v) for v in valor]
    if isinstance(valor, float):
        return repr(valor)
    try:
        return _texto(DjangoJSONEncoder().default(valor))
    except TypeError:
        return _texto(valor)


def _instante(valor) -> str:
    return valor.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def registro_hash(campos: dict) -> str:
    """SHA-256 of the canonical text of an entry's fields (CAMPOS)."""
    canonico = {nombre: campos[nombre] for nombre in CAMPOS}
    canonico["registrado_en"] = _instante(canonico["registrado_en"])
    canonico["ip"] = ip_normalizar(canonico["ip"])
    texto = json.dumps(canonico, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(texto.encode()).hexdigest()


def _cadena_bloquear(expediente_id: int | None) -> None:
    """Serialise appends until the transaction ends, so each one reads the true last entry.
    SQLite (a bare local `manage.py`, never the run or test commands) has one writer anyway.

    Before the lock, the row locks this transaction would otherwise take while holding it:
    Django's foreign keys are checked at commit, and each check locks the referenced row (FOR
    KEY SHARE). Taken under the append lock, such a check waits for a service holding that
    expediente FOR UPDATE, which waits for the append lock: a deadlock (seen in the demo: the
    OCR worker's pages against a payment). So the pending checks run now, and the entry's own
    expediente is locked the same way, before the append lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # fires the checks pending so far
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # and back to Django's default
            if expediente_id is not None:
                cursor.execute("SELECT 1 FROM expedientes_expedientepage WHERE page_ptr_id = %s FOR KEY SHARE",
                               [expediente_id])
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", _CERROJO)


def registro_anotar(*, accion: str, usuario=None, expediente=None, objeto: str = "", sha256: str = "",
                    datos: dict | None = None, request=None, usuario_nombre: str = "") -> RegistroCustodia:
    """Append one entry to the custody log, inside the caller's transaction: it is kept if
    and only if the act it records is. The lock that orders appends lasts until the
    caller's transaction ends, so call this last, after any S3 put or antivirus scan, and
    keep that transaction short.

    usuario: who acted (None for an anonymous one or a failed login; then usuario_nombre,
    e.g. the username typed). expediente: the ExpedientePage concerned, if any. The client
    address comes from `request`, else from the current request (permisos.direcciones)."""
    if usuario is None and request is not None:
        usuario = getattr(request, "user", None)
    if usuario is not None and not usuario.is_authenticated:
        usuario = None
    registro = RegistroCustodia(
        usuario=usuario,
        usuario_nombre=_texto(usuario.get_username() if usuario else usuario_nombre)[:150],
        accion=Accion(accion).value,
        expediente_id=expediente.pk if expediente is not None else None,
        objeto=_texto(objeto),
        ip=ip_normalizar(direccion_de(request)),
        sha256=_texto(sha256),
        datos=datos_normalizar(datos or {}),
    )
    with transaction.atomic():
        _cadena_bloquear(registro.expediente_id)
        ultimo = RegistroCustodia.objects.order_by("-secuencia").values_list("secuencia", "hash").first()
        registro.secuencia, registro.hash_anterior = (ultimo[0] + 1, ultimo[1]) if ultimo else (1, GENESIS)
        registro.registrado_en = timezone.now()  # under the lock: time follows the sequence
        registro.hash = registro_hash({nombre: getattr(registro, nombre) for nombre in CAMPOS})
        registro.save(force_insert=True)
    return registro


@dataclass(frozen=True)
class Verificacion:
    registros: int
    ultimo: int | None = None
    ultimo_hash: str = ""
    falla: str = ""  # "" (intact), "alterado", "faltante" or "enlace"
    secuencia: int | None = None  # the first altered or missing entry
    detalle: str = ""

    @property
    def integra(self) -> bool:
        return not self.falla

    def mensaje(self) -> str:
        if self.integra:
            cola = f" (último #{self.ultimo}, hash {self.ultimo_hash})" if self.ultimo else ""
            return f"Cadena íntegra: {self.registros} registros{cola}."
        return f"Cadena rota: {self.detalle}"


def cadena_verificar(*, progreso: Callable[[int], None] | None = None, cada: int = 10_000,
                     bloque: int = 2_000) -> Verificacion:
    """Walk the log in sequence order, recomputing each hash and each link; stop at the
    first entry that does not hold. `progreso(n)` is called every `cada` entries."""
    esperado, anterior, vistos = 1, GENESIS, 0
    filas = (RegistroCustodia.objects.order_by("secuencia")
             .values_list(*CAMPOS, "hash").iterator(chunk_size=bloque))
    for fila in filas:
        campos, guardado = dict(zip(CAMPOS, fila)), fila[-1]
        secuencia = campos["secuencia"]
        if secuencia != esperado:
            despues = f"tras el #{esperado - 1} sigue el #{secuencia}" if esperado > 1 else \
                f"la cadena empieza en el #{secuencia}"
            return Verificacion(vistos, falla="faltante", secuencia=esperado,
                                detalle=f"falta el registro #{esperado}: {despues}.")
        if registro_hash(campos) != guardado:
            return Verificacion(vistos, falla="alterado", secuencia=secuencia,
                                detalle=f"el registro #{secuencia} fue alterado: su contenido no "
                                        "corresponde a su hash.")
        if campos["hash_anterior"] != anterior:
            return Verificacion(vistos, falla="enlace", secuencia=secuencia,
                                detalle=f"el registro #{secuencia} no enlaza con el anterior: falta un "
                                        f"registro antes del #{secuencia} o el #{secuencia - 1} fue "
                                        "reescrito con su hash.")
        esperado, anterior, vistos = secuencia + 1, guardado, vistos + 1
        if progreso and vistos % cada == 0:
            progreso(vistos)
    return Verificacion(vistos, ultimo=esperado - 1 or None, ultimo_hash=anterior if vistos else "")
