"""The writing transaction reserves its object key, so the reconciliation can tell «still
being written» from «orphan».

A PostgreSQL transaction-level advisory lock on a 64-bit number derived from the key,
taken by the writer before the S3 put, is held until its transaction really ends — the
outermost one, when custodiar runs inside a caller's atomic block (a savepoint passes its
locks to its parent). The reconciliation tries the same lock without waiting: refused
means that transaction may still commit; granted means it is over (committed or rolled
back) and the row can be checked once more. It is not a row lock and blocks no one: the
only other party ever asking for it is the reconciliation, and keys are random.
"""

import hashlib

from django.db import connection

# Stored as S3 user metadata on objects whose key was reserved this way; objects without
# it (written before, or on another database engine) are only protected by the grace period.
METADATO = "reserva"
MARCA = "pg-advisory-xact"


def disponible() -> bool:
    return connection.vendor == "postgresql"


def _numero(clave: str) -> int:
    """A signed 64-bit number from the key. A collision (odds ~2⁻⁶⁴ per pair) would only
    make the reconciliation wait for an unrelated transaction: the safe direction."""
    huella = hashlib.blake2b(clave.encode(), digest_size=8, person=b"portal-custodia")
    return int.from_bytes(huella.digest(), "big", signed=True)


def reserva_tomar(clave: str) -> bool:
    """Reserve `clave` in the current transaction (must be inside atomic()). Returns
    False when the database has no advisory locks (then nothing is reserved)."""
    if not disponible():
        return False
    if not connection.in_atomic_block:
        raise RuntimeError("reserva_tomar necesita una transacción abierta (transaction.atomic)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_numero(clave)])
    return True


def reserva_libre(clave: str) -> bool:
    """True if no open transaction holds `clave`. Run it in a transaction of its own
    (the lock, if granted, is held until that transaction ends)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_numero(clave)])
        return bool(cursor.fetchone()[0])
