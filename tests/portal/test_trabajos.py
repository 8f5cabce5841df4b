"""The «Trabajos en segundo plano» screen: who sees which job, progress, refresh without scripts."""

import pytest
from django.urls import reverse

from portal.models import EstadoTrabajo
from portal.trabajos import trabajo_avanzar, trabajo_crear, trabajo_empezar, trabajo_fallar, trabajo_terminar
from permisos.models import RegistroCustodia

pytestmark = pytest.mark.servicios


def test_cada_quien_ve_sus_trabajos_y_el_jefe_todos(client, usuarios):
    propio = trabajo_crear(tipo="prueba", titulo="Oficios de la secretaría", usuario=usuarios["secretaria"])
    ajeno = trabajo_crear(tipo="prueba", titulo="Oficios del abogado", usuario=usuarios["abogado"])
    trabajo_empezar(propio.pk, total=40)
    trabajo_avanzar(propio.pk, 10, 40, "10 de 40 expedientes")

    client.force_login(usuarios["secretaria"])
    lista = client.get(reverse("trabajos_lista"))
    assert lista.status_code == 200
    texto = lista.content.decode()
    assert "Oficios de la secretaría" in texto and "Oficios del abogado" not in texto
    assert "25 %" in texto and "10 de 40" in texto
    assert 'http-equiv="refresh"' in texto  # a job runs: the page reloads itself, no script
    assert client.get(reverse("trabajo_detalle", args=[propio.pk])).status_code == 200
    assert client.get(reverse("trabajo_detalle", args=[ajeno.pk])).status_code == 404
    assert client.get(reverse("trabajo_detalle", args=[999999])).status_code == 404

    for quien in ("jefe", "auditor"):
        client.force_login(usuarios[quien])
        texto = client.get(reverse("trabajos_lista")).content.decode()
        assert "Oficios de la secretaría" in texto and "Oficios del abogado" in texto
        assert client.get(reverse("trabajo_detalle", args=[ajeno.pk])).status_code == 200


def test_un_trabajo_termina_o_falla_con_su_motivo(client, usuarios):
    bien = trabajo_crear(tipo="prueba", titulo="Bien", usuario=usuarios["secretaria"])
    trabajo_empezar(bien.pk, total=3)
    bien = trabajo_terminar(bien.pk, resultado={"oficios": ["A-1"], "existentes": [], "omitidos": []},
                            mensaje="1 oficio generado")
    assert (bien.estado, bien.hechos, bien.porcentaje) == (EstadoTrabajo.TERMINADO, 3, 100)
    mal = trabajo_crear(tipo="prueba", titulo="Mal", usuario=usuarios["secretaria"])
    trabajo_empezar(mal.pk)
    reintento = trabajo_fallar(mal.pk, error="El antivirus no responde.", definitivo=False)
    assert reintento.estado == EstadoTrabajo.PENDIENTE and "Se reintentará" in reintento.mensaje
    mal = trabajo_fallar(mal.pk, error="El antivirus no responde.")
    assert mal.estado == EstadoTrabajo.FALLIDO and mal.terminado_en
    assert RegistroCustodia.objects.filter(accion="trabajo", objeto=f"trabajo {mal.pk}").count() == 3

    client.force_login(usuarios["secretaria"])
    detalle = client.get(reverse("trabajo_detalle", args=[mal.pk])).content.decode()
    assert "El antivirus no responde." in detalle and 'http-equiv="refresh"' not in detalle
    assert "1 oficio generado" in client.get(reverse("trabajo_detalle", args=[bien.pk])).content.decode()
