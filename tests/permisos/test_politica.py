"""Who sees what (issue 8): the whole unit for jefe and secretaría, the assigned expedientes
for an abogado (the assignment is the access), everything read-only for the auditor, nothing
for the others. Through the real views and the real database."""

import pytest
from django.urls import reverse

from expedientes.services.correcciones import expediente_asignar
from permisos import policies, roles
from tests.factories import expediente_crear, usuario_con_rol


@pytest.fixture
def ajeno(usuarios):
    return expediente_crear(usuario=usuarios["secretaria"], nombre="DEUDOR AJENO CIA. LTDA.")


def _ve(client, expediente) -> bool:
    """200 on the process screen; 404 (or the login page, without admin access) otherwise."""
    codigos = {client.get(reverse("expedientes_proceso", args=[expediente.pk])).status_code,
               client.get(f"/admin/pages/{expediente.pk}/edit/").status_code}
    assert codigos in ({200}, {404}, {200, 302}, {302, 404}), codigos
    return 200 in codigos


def test_abogado_ve_solo_lo_asignado(client, usuarios, expediente, ajeno):
    client.force_login(usuarios["abogado"])
    listado = client.get(reverse("expedientes_listado")).content.decode()
    assert expediente.numero in listado and ajeno.numero not in listado
    assert "DEUDOR AJENO" not in client.get(reverse("expedientes_listado"), {"q": "AJENO"}).content.decode()
    assert _ve(client, expediente) and not _ve(client, ajeno)
    assert client.get(f"/admin/pages/{expediente.pk}/edit/").status_code == 200
    # the explorer of a year opens the listing for the unit (issue 9); the policy filters it
    anio = client.get(f"/admin/pages/{expediente.get_parent().pk}/", follow=True).content.decode()
    assert expediente.numero in anio and ajeno.numero not in anio


def test_la_asignacion_da_y_quita_el_acceso(client, usuarios, expediente):
    otro = usuario_con_rol(roles.ROL_ABOGADO, username="abogada2")
    expediente_asignar(expediente=expediente, abogado=otro, usuario=usuarios["jefe"], motivo="Reparto de carga")
    assert not policies.expediente_puede_ver(usuarios["abogado"], expediente)
    assert policies.expediente_puede_trabajar(otro, expediente)
    client.force_login(usuarios["abogado"])
    assert not _ve(client, expediente)
    client.force_login(otro)
    assert _ve(client, expediente)
    correccion = expediente.correcciones.get()
    assert correccion.campo == "abogado impulsor" and correccion.motivo == "Reparto de carga"
    expediente_asignar(expediente=expediente, abogado=None, usuario=usuarios["jefe"], motivo="Licencia")
    assert not policies.expediente_puede_ver(otro, expediente)


@pytest.mark.parametrize("quien", ["jefe", "secretaria"])
def test_la_unidad_ve_todo(client, usuarios, expediente, ajeno, quien):
    client.force_login(usuarios[quien])
    listado = client.get(reverse("expedientes_listado")).content.decode()
    assert expediente.numero in listado and ajeno.numero in listado
    assert _ve(client, ajeno)


def test_auditor_lee_todo_y_no_cambia_nada(client, usuarios, expediente, ajeno):
    auditor = usuarios["auditor"]
    client.force_login(auditor)
    listado = client.get(reverse("expedientes_listado")).content.decode()
    assert expediente.numero in listado and ajeno.numero in listado
    assert client.get(reverse("expedientes_proceso", args=[ajeno.pk])).status_code == 200
    assert not policies.expediente_puede_trabajar(auditor, ajeno)
    assert not ajeno.permissions_for_user(auditor).can_edit()
    assert client.get(f"/admin/pages/{ajeno.pk}/edit/").status_code == 302  # may see, may not edit
    client.post(reverse("expedientes_proceso_accion", args=[ajeno.pk, "costa"]), {
        "costa-fecha": "20/03/2025", "costa-concepto": "x", "costa-monto": "10"})
    assert not ajeno.costas.exists()


@pytest.mark.parametrize("quien", ["archivista", "asesoria", "administrador", "sin_rol"])
def test_los_demas_no_ven_ningun_expediente(client, usuarios, expediente, quien):
    client.force_login(usuarios[quien])
    assert not _ve(client, expediente)
    assert expediente.numero not in client.get(reverse("expedientes_listado")).content.decode()


def test_los_ids_visibles_son_los_del_q_de_la_politica(usuarios, expediente, ajeno):
    """ids_expedientes_visibles (the search's shortcut) gives exactly what q_expedientes keeps,
    or None when the Q must decide (unit-wide roles, superuser); a lawyer's group grant counts."""
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm

    from expedientes.models import ExpedientePage

    def por_q(usuario):
        return set(ExpedientePage.objects.filter(policies.q_expedientes(usuario)).values_list("pk", flat=True))

    for nombre, usuario in usuarios.items():
        ids = policies.ids_expedientes_visibles(usuario, 1000)
        if ids is not None:
            assert set(ids) == por_q(usuario), nombre
    assert set(policies.ids_expedientes_visibles(usuarios["abogado"], 1000)) == {expediente.pk}
    assert policies.ids_expedientes_visibles(usuarios["jefe"], 1000) is None
    equipo = Group.objects.create(name="Equipo de apoyo")
    usuarios["abogado"].groups.add(equipo)
    assign_perm("expedientes.view_expedientepage", equipo, ajeno)
    assert set(policies.ids_expedientes_visibles(usuarios["abogado"], 1000)) == {expediente.pk, ajeno.pk} \
        == por_q(usuarios["abogado"])
    assert policies.ids_expedientes_visibles(usuarios["abogado"], 1) is None  # over the limit: the Q decides


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_los_ids_guardados_siguen_cada_concesion_y_revocacion(usuarios, expediente, ajeno,
                                                              django_assert_num_queries):
    """The process keeps a lawyer's ids between requests (policies._VISIBLES): after each grant,
    revocation, group change or reassignment they are the Q's again, and while nothing changes
    they cost one query (the changes' mark), not the guardian rows. Outside a transaction, as a
    view runs; ids read inside one that has written are not kept (it may roll back)."""
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from guardian.shortcuts import assign_perm, remove_perm

    from expedientes.models import ExpedientePage

    abogado = usuarios["abogado"]

    def igual_al_q():
        ids = policies.ids_expedientes_visibles(abogado, 1000)
        assert ids == sorted(ExpedientePage.objects.filter(policies.q_expedientes(abogado))
                             .values_list("pk", flat=True))
        return set(ids)

    assert igual_al_q() == {expediente.pk}
    with django_assert_num_queries(1):
        assert policies.ids_expedientes_visibles(abogado, 1000) == [expediente.pk]
    assign_perm("expedientes.view_expedientepage", abogado, ajeno)
    assert igual_al_q() == {expediente.pk, ajeno.pk}
    remove_perm("expedientes.view_expedientepage", abogado, ajeno)
    assert igual_al_q() == {expediente.pk}
    equipo = Group.objects.create(name="Equipo de apoyo")
    assign_perm("expedientes.change_expedientepage", equipo, ajeno)  # before he is in it
    assert igual_al_q() == {expediente.pk}
    abogado.groups.add(equipo)
    assert igual_al_q() == {expediente.pk, ajeno.pk}
    abogado.groups.remove(equipo)
    assert igual_al_q() == {expediente.pk}
    abogado.groups.add(equipo)
    remove_perm("expedientes.change_expedientepage", equipo, ajeno)
    assert igual_al_q() == {expediente.pk}
    expediente_asignar(expediente=ajeno, abogado=abogado, usuario=usuarios["jefe"], motivo="Reparto")
    assert igual_al_q() == {expediente.pk, ajeno.pk}
    expediente_asignar(expediente=expediente, abogado=None, usuario=usuarios["jefe"], motivo="Licencia")
    assert igual_al_q() == {ajeno.pk}
    # nothing in the project updates these rows; a statement that does is noted for everybody
    policies.ExpedienteUserObjectPermission.objects.filter(user=abogado).update(content_object=expediente)
    assert igual_al_q() == {expediente.pk}
    with pytest.raises(RuntimeError), transaction.atomic():
        assign_perm("expedientes.view_expedientepage", abogado, ajeno)
        assert igual_al_q() == {expediente.pk, ajeno.pk}  # read inside, not kept
        raise RuntimeError("rolled back")
    assert igual_al_q() == {expediente.pk}
    with django_assert_num_queries(1):
        assert policies.ids_expedientes_visibles(abogado, 1000) == [expediente.pk]
    with pytest.raises(Exception, match="Cannot truncate"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {policies.CAMBIOS_TABLA}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_una_revocacion_de_otra_conexion_llega_a_los_ids_guardados(usuarios, expediente):
    """Another process (here a thread, with its own connection) revokes and commits: the ids
    this process keeps stop holding at once."""
    import threading

    from django.db import connection
    from guardian.shortcuts import remove_perm

    abogado = usuarios["abogado"]
    assert policies.ids_expedientes_visibles(abogado, 1000) == [expediente.pk]

    def revocar():
        try:
            for permiso in ("view_expedientepage", "change_expedientepage"):
                remove_perm(f"expedientes.{permiso}", abogado, expediente)
        finally:
            connection.close()

    hilo = threading.Thread(target=revocar)
    hilo.start()
    hilo.join()
    assert policies.ids_expedientes_visibles(abogado, 1000) == []
