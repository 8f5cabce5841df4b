import io
import itertools
import uuid
from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

_secuencia = itertools.count(1)


class UsuarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    first_name = "Usuario"
    last_name = factory.Sequence(lambda n: f"Prueba {n}")
    password = factory.django.Password("clave-de-prueba")


def usuario_con_rol(rol, **kwargs):
    usuario = UsuarioFactory(**kwargs)
    if rol:
        usuario.groups.add(Group.objects.get(name=rol))
    return usuario


def cedula_valida(provincia="01"):
    import random

    from portal.demo import cedula_generar

    return cedula_generar(random.Random(next(_secuencia)), provincia)


def expediente_crear(*, usuario, identificacion=None, nombre="EMPRESA DE PRUEBA S.A.",
                     provincia="01", fecha=date(2025, 3, 13), monto=Decimal("1234.56"), **kwargs):
    from expedientes.services.coactivados import coactivado_registrar
    from expedientes.services.expedientes import expediente_abrir

    coactivado = coactivado_registrar(
        identificacion=identificacion or cedula_valida(provincia), nombre=nombre, usuario=usuario
    )
    return expediente_abrir(
        coactivado=coactivado, provincia=provincia, fecha_recepcion=fecha, monto_titulo=monto,
        usuario=usuario, **kwargs,
    )


def pdf_bytes(texto="Documento de prueba", relleno=0):
    """A real PDF whose bytes differ each call (a fresh id), optionally padded to a size."""
    marca = uuid.uuid4().hex
    cuerpo = (
        f"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        f"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        f"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        f"% {texto} {marca}\n"
    ).encode()
    if relleno:
        cuerpo += b"%" + b"0" * max(0, relleno - len(cuerpo) - 30) + b"\n"
    cuerpo += b"trailer<</Root 1 0 R>>\n%%EOF\n"
    return io.BytesIO(cuerpo)


class FlujoPDF(io.RawIOBase):
    """`tamano` bytes that libmagic reads as a PDF, produced as they are read (fresh random
    bytes, so clamd's cache cannot help), never held in memory at once."""

    def __init__(self, tamano: int, nombre="grande.pdf"):
        self.tamano, self.entregados, self.name = tamano, 0, nombre
        self.cabecera = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"

    def readable(self):
        return True

    def readinto(self, buffer):
        import os

        quedan = self.tamano - self.entregados
        if quedan <= 0:
            return 0
        n = min(len(buffer), quedan)
        if self.entregados == 0:
            datos = (self.cabecera + os.urandom(max(0, n - len(self.cabecera))))[:n]
        else:
            datos = os.urandom(n)
        buffer[:n] = datos
        self.entregados += n
        return n
