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


def test_los_oficios_masivos_se_piden_desde_el_admin_y_van_a_la_cola(client, usuarios):
    from django.db import connection

    url = reverse("trabajo_oficios_retencion")
    client.force_login(usuarios["abogado"])
    assert client.get(url).status_code == 404  # a unit-wide action: not an abogado's
    assert client.post(url, {"desde": 2009, "hasta": 2025, "entidades": ["sb"]}).status_code == 404

    client.force_login(usuarios["secretaria"])
    assert "Oficios de retención masivos" in client.get(reverse("trabajos_lista")).content.decode()
    malo = client.post(url, {"desde": 2025, "hasta": 2009, "entidades": ["sb"]})
    assert malo.status_code == 200 and "no puede ser posterior" in malo.content.decode()
    respuesta = client.post(url, {"desde": 2009, "hasta": 2025, "entidades": ["sb", "seps"],
                                  "firmante": usuarios["jefe"].pk})
    from portal.models import Trabajo

    trabajo = Trabajo.objects.get(creado_por=usuarios["secretaria"])
    assert respuesta.status_code == 302 and respuesta["Location"] == reverse("trabajo_detalle", args=[trabajo.pk])
    assert trabajo.parametros["entidades"] == ["sb", "seps"] and trabajo.parametros["firmante_id"] == usuarios["jefe"].pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT task_name, status, args->>'trabajo_id' FROM procrastinate_jobs WHERE id = %s",
                       [trabajo.job_id])
        assert cursor.fetchone() == ("expedientes.tasks.oficios_retencion", "todo", str(trabajo.pk))


def test_la_auditoria_semanal_de_integridad_deja_su_trabajo(usuarios, actuacion, pdf):
    """The weekly periodic job's body (archivo.tasks), in-process on the real store."""
    from archivo.tasks import TRABAJO_FIJEZA, fijeza_trabajo
    from expedientes.services.adjuntos import adjunto_crear
    from portal.cola import trabajo_periodico

    adjunto_crear(actuacion=actuacion, titulo="Escrito", flujo=pdf(), nombre="escrito.pdf",
                  usuario=usuarios["secretaria"])
    trabajo_id = trabajo_periodico(tipo=TRABAJO_FIJEZA, titulo="Auditoría semanal de integridad", marca=1700000000)
    assert trabajo_periodico(tipo=TRABAJO_FIJEZA, titulo="otra vez", marca=1700000000) == trabajo_id  # a retry
    fijeza_trabajo(trabajo_id)
    from portal.models import Trabajo

    trabajo = Trabajo.objects.get(pk=trabajo_id)
    assert trabajo.estado == EstadoTrabajo.TERMINADO, trabajo.error
    assert trabajo.resultado["revisadas"] >= 1 and trabajo.resultado["alteradas"] == 0
    assert trabajo.creado_por is None  # the system's: jefe and auditor see it
