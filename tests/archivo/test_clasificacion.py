"""The TPCD: archivists create and edit series, every change logged in the custody log with
the values before and after and the reason; the screen shows the table and its history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from archivo.models import DisposicionFinal, Seccion, Serie
from archivo.services.clasificacion import expediente_serie_cambiar, serie_guardar
from permisos.models import RegistroCustodia

pytestmark = pytest.mark.servicios
CAMBIO = RegistroCustodia.Accion.CAMBIO_TPCD


def _nueva(**campos):
    return Serie(**{"seccion": Seccion.objects.first(), "codigo": "MDT-DRC-JC-02", "nombre": "Convenios de pago",
                    "anios_gestion": 2, "anios_central": 8, "disposicion_final": DisposicionFinal.ELIMINACION,
                    "base_legal": "COA art. 273", **campos})


def test_crear_y_editar_serie_queda_en_el_registro(usuarios):
    serie = serie_guardar(serie=_nueva(), usuario=usuarios["archivista"], motivo="")
    assert serie.pk
    serie.anios_central = 13
    with pytest.raises(ValidationError) as error:
        serie_guardar(serie=serie, usuario=usuarios["archivista"], motivo=" ")
    assert "motivo" in error.value.message_dict
    assert Serie.objects.get(pk=serie.pk).anios_central == 8
    serie_guardar(serie=serie, usuario=usuarios["archivista"], motivo="Resolución del comité 2026-04")
    assert Serie.objects.get(pk=serie.pk).anios_central == 13
    creacion, edicion = RegistroCustodia.objects.filter(accion=CAMBIO).order_by("secuencia")
    assert creacion.datos["antes"] is None and creacion.datos["despues"]["anios_central"] == 8
    assert edicion.datos["antes"]["anios_central"] == 8 and edicion.datos["despues"]["anios_central"] == 13
    assert edicion.datos["motivo"] == "Resolución del comité 2026-04"
    assert edicion.usuario == usuarios["archivista"]


def test_solo_el_archivo_edita_la_tpcd(usuarios):
    serie = Serie.objects.first()
    serie.anios_gestion = 1
    for quien in ("secretaria", "jefe", "auditor"):
        with pytest.raises(ValidationError, match="Solo el Archivo"):
            serie_guardar(serie=serie, usuario=usuarios[quien], motivo="x")
    with pytest.raises(ValidationError):  # a subserie of another section's serie, of itself
        serie_guardar(serie=_nueva(padre=serie, seccion=Seccion.objects.create(
            fondo=Seccion.objects.first().fondo, codigo="OTRA", nombre="Otra")), usuario=usuarios["archivista"],
            motivo="")
    assert not RegistroCustodia.objects.filter(accion=CAMBIO).exists()


def test_cambiar_la_serie_de_un_expediente(usuarios, expediente):
    otra = serie_guardar(serie=_nueva(), usuario=usuarios["archivista"], motivo="")
    with pytest.raises(ValidationError, match="Solo el Archivo o el jefe"):
        expediente_serie_cambiar(expediente=expediente, serie=otra, usuario=usuarios["secretaria"], motivo="x")
    anterior = expediente.serie.codigo
    expediente_serie_cambiar(expediente=expediente, serie=otra, usuario=usuarios["jefe"], motivo="Mal clasificado")
    expediente.refresh_from_db()
    assert expediente.serie == otra
    entrada = RegistroCustodia.objects.filter(accion=CAMBIO, expediente_id=expediente.pk).get()
    assert entrada.datos == {"antes": {"serie": anterior}, "despues": {"serie": otra.codigo},
                             "motivo": "Mal clasificado"}


def test_pantallas_tpcd(client, usuarios, expediente):
    serie = expediente.serie
    client.force_login(usuarios["archivista"])
    respuesta = client.get(reverse("archivo_tpcd"))
    assert respuesta.status_code == 200 and serie.codigo in respuesta.content.decode()
    url = reverse("archivo_serie_editar", args=[serie.pk])
    datos = {"seccion": serie.seccion_id, "padre": "", "codigo": serie.codigo, "nombre": serie.nombre,
             "anios_gestion": 3, "anios_central": serie.anios_central,
             "disposicion_final": serie.disposicion_final, "base_legal": serie.base_legal, "activa": "on"}
    respuesta = client.post(url, {**datos, "motivo": ""})
    assert respuesta.status_code == 200 and "Indique el motivo" in respuesta.content.decode()
    respuesta = client.post(url, {**datos, "motivo": "Nueva tabla aprobada"})
    assert respuesta.status_code == 302
    serie.refresh_from_db()
    assert serie.anios_gestion == 3
    historial = client.get(reverse("archivo_tpcd")).content.decode()
    assert "Nueva tabla aprobada" in historial
    # fondos and secciones in Wagtail's model views, never deleted
    fondo = serie.seccion.fondo
    assert client.get(reverse("archivo_fondos:index")).status_code == 200
    assert client.get(reverse("archivo_secciones:edit", args=[serie.seccion_id])).status_code == 200
    client.post(reverse("archivo_fondos:delete", args=[fondo.pk]))
    assert type(fondo).objects.filter(pk=fondo.pk).exists()
    client.force_login(usuarios["secretaria"])  # reads the TPCD, does not edit it
    assert client.get(reverse("archivo_tpcd")).status_code == 200
    assert client.get(url).status_code == 404
    client.force_login(usuarios["abogado"])
    assert client.get(reverse("archivo_tpcd")).status_code == 404
