"""The «Registros» screens of the admin (coactivados with their addresses, interest rates,
document templates), as users work with them: real forms, real permissions, real services."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from expedientes.models import ClaveDocumento, Coactivado, Domicilio, PlantillaDocumento, TasaInteres
from expedientes.services.coactivados import coactivado_registrar
from tests.factories import cedula_valida

pytestmark = pytest.mark.servicios


def _url(modelo, vista, *args):
    return reverse(f"wagtailsnippets_expedientes_{modelo}:{vista}", args=args)


# --- Tasas de interés -------------------------------------------------------------------

def test_el_jefe_registra_una_tasa_con_coma_decimal(client, usuarios):
    client.force_login(usuarios["jefe"])
    assert client.get(_url("tasainteres", "add")).status_code == 200
    respuesta = client.post(_url("tasainteres", "add"), {
        "vigente_desde": "01/04/2025", "tasa_anual": "9,5",
        "fuente": "BCE, tasa activa efectiva referencial, abril 2025",
    })
    assert respuesta.status_code == 302
    tasa = TasaInteres.objects.get()
    assert tasa.tasa_anual == Decimal("9.5000") and str(tasa.tasa_anual) == "9.5000"
    assert (tasa.vigente_desde, tasa.registrada_por) == (date(2025, 4, 1), usuarios["jefe"])
    listado = client.get(_url("tasainteres", "list")).content.decode()
    assert "01/04/2025" in listado and "9,50 %" in listado
    assert usuarios["jefe"].get_full_name() in listado
    # rates are history: not even the jefe deletes them
    assert client.get(_url("tasainteres", "delete", tasa.pk)).status_code in (302, 403)
    assert TasaInteres.objects.filter(pk=tasa.pk).exists()


def test_una_tasa_negativa_se_rechaza(client, usuarios):
    client.force_login(usuarios["jefe"])
    respuesta = client.post(_url("tasainteres", "add"), {
        "vigente_desde": "01/04/2025", "tasa_anual": "-1", "fuente": "BCE",
    })
    assert respuesta.status_code == 200
    assert "La tasa no puede ser negativa." in respuesta.content.decode()
    assert not TasaInteres.objects.exists()


@pytest.mark.parametrize("quien", ["abogado", "secretaria"])
def test_solo_el_jefe_registra_tasas(client, usuarios, quien):
    client.force_login(usuarios[quien])
    assert client.get(_url("tasainteres", "list")).status_code == 200  # they consult it
    assert client.get(_url("tasainteres", "add")).status_code in (302, 403)
    respuesta = client.post(_url("tasainteres", "add"), {
        "vigente_desde": "01/04/2025", "tasa_anual": "9,5", "fuente": "BCE",
    })
    assert respuesta.status_code in (302, 403)
    assert not TasaInteres.objects.exists()


# --- Plantillas de documentos -----------------------------------------------------------

def _plantilla():
    return PlantillaDocumento.objects.get(clave=ClaveDocumento.AUTO_PAGO)


def _revisiones(plantilla):
    return Revision.objects.for_instance(plantilla).count()


def test_la_pantalla_de_la_plantilla_muestra_las_variables_y_no_deja_cambiar_la_clave(client, usuarios):
    plantilla = _plantilla()
    client.force_login(usuarios["jefe"])
    html = client.get(_url("plantilladocumento", "edit", plantilla.pk)).content.decode()
    for nombre in ("coactivado.nombre", "cuenta.saldo", "expediente.numero", "oficio.entidad",
                   "item.numero", "usd", "letras", "fecha_larga", "fecha_letras"):
        assert nombre in html
    assert 'name="clave"' not in html and 'name="tipo_actuacion"' not in html
    listado = client.get(_url("plantilladocumento", "list")).content.decode()
    assert "auto_pago" in listado and plantilla.nombre in listado
    assert _url("plantilladocumento", "add") not in listado
    # the set of templates is fixed: none is added through the admin
    assert client.get(_url("plantilladocumento", "add")).status_code in (302, 403)


@pytest.mark.parametrize(
    "cuerpo, mensaje",
    [
        ("<p>Apodo: {{ coactivado.apodo }}</p>",
         "La plantilla usa variables que no existen: {{ coactivado.apodo }}"),
        ("<p>{% if cuenta.saldo %}sin cerrar</p>", "La plantilla tiene un error de sintaxis"),
    ],
)
def test_una_plantilla_invalida_no_se_guarda(client, usuarios, cuerpo, mensaje):
    plantilla = _plantilla()
    antes, revisiones = plantilla.cuerpo, _revisiones(plantilla)
    client.force_login(usuarios["jefe"])
    respuesta = client.post(_url("plantilladocumento", "edit", plantilla.pk),
                            {"nombre": plantilla.nombre, "cuerpo": cuerpo})
    assert respuesta.status_code == 200
    assert mensaje in respuesta.content.decode()
    plantilla.refresh_from_db()
    assert plantilla.cuerpo == antes and _revisiones(plantilla) == revisiones


def test_una_edicion_valida_guarda_una_revision_nueva(client, usuarios):
    plantilla = _plantilla()
    revisiones = _revisiones(plantilla)
    cuerpo = plantilla.cuerpo + "<p>Saldo: {{ cuenta.saldo|usd }} ({{ cuenta.saldo|letras }}).</p>"
    client.force_login(usuarios["jefe"])
    respuesta = client.post(_url("plantilladocumento", "edit", plantilla.pk),
                            {"nombre": "Auto de pago (2025)", "cuerpo": cuerpo})
    assert respuesta.status_code == 302
    plantilla.refresh_from_db()
    assert (plantilla.nombre, plantilla.cuerpo) == ("Auto de pago (2025)", cuerpo)
    assert plantilla.clave == ClaveDocumento.AUTO_PAGO
    assert _revisiones(plantilla) == revisiones + 1
    assert plantilla.latest_revision.user == usuarios["jefe"]
    historial = client.get(_url("plantilladocumento", "history", plantilla.pk))
    assert historial.status_code == 200


@pytest.mark.parametrize("quien", ["abogado", "secretaria"])
def test_abogado_y_secretaria_consultan_plantillas_sin_editarlas(client, usuarios, quien):
    plantilla = _plantilla()
    antes = plantilla.cuerpo
    client.force_login(usuarios[quien])
    assert client.get(_url("plantilladocumento", "list")).status_code == 200
    respuesta = client.post(_url("plantilladocumento", "edit", plantilla.pk),
                            {"nombre": "Otro", "cuerpo": "<p>{{ fecha }}</p>"})
    assert respuesta.status_code in (302, 403)
    plantilla.refresh_from_db()
    assert plantilla.cuerpo == antes


# --- Coactivados ------------------------------------------------------------------------

def _datos_coactivado(coactivado=None, domicilios=(), existentes=0, **cambios):
    datos = {
        "identificacion": coactivado.identificacion if coactivado else cedula_valida("01"),
        "nombre": coactivado.nombre if coactivado else "Juan Carlos Pérez Ochoa",
        "correo": "", "casillero_judicial": "",
        "domicilios": inline_formset(list(domicilios), initial=existentes),
    }
    return nested_form_data(datos | cambios)


def test_coactivado_con_dos_domicilios_muestra_el_vigente(client, usuarios, expediente):
    coactivado = expediente.coactivado
    otro = coactivado_registrar(identificacion=cedula_valida("03"), nombre="SIN DOMICILIO",
                                usuario=usuarios["secretaria"])
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(_url("coactivado", "edit", coactivado.pk), _datos_coactivado(
        coactivado,
        domicilios=[
            {"direccion": "Calle Larga 1-23 y Benigno Malo", "canton": "Cuenca", "provincia": "01",
             "fuente": "Orden de cobro", "registrado_en": "10/01/2024"},
            {"direccion": "Av. Huayna Cápac 4-56", "canton": "Cuenca", "provincia": "01",
             "fuente": "SRI", "registrado_en": "05/03/2025", "desactualizado": "on"},
        ],
    ))
    assert respuesta.status_code == 302
    domicilios = list(coactivado.domicilios.all())
    assert [d.direccion for d in domicilios] == ["Av. Huayna Cápac 4-56", "Calle Larga 1-23 y Benigno Malo"]
    assert all(d.registrado_por == usuarios["secretaria"] for d in domicilios)

    listado = client.get(_url("coactivado", "list")).content.decode()
    assert "Calle Larga 1-23 y Benigno Malo" in listado and "Av. Huayna Cápac" not in listado
    # its newest address is outdated: the filter finds it, and only it
    filtrado = client.get(_url("coactivado", "list"), {"domicilio_desactualizado": "1"}).content.decode()
    assert coactivado.nombre in filtrado and otro.nombre not in filtrado
    resto = client.get(_url("coactivado", "list"), {"domicilio_desactualizado": "0"}).content.decode()
    assert otro.nombre in resto and coactivado.nombre not in resto


def test_la_ficha_del_coactivado_lista_sus_expedientes(client, usuarios, expediente):
    client.force_login(usuarios["abogado"])
    html = client.get(_url("coactivado", "edit", expediente.coactivado.pk)).content.decode()
    assert expediente.numero in html
    assert expediente.get_estado_display() in html and expediente.get_provincia_display() in html


def test_registrar_un_coactivado_desde_el_administrador(client, usuarios):
    client.force_login(usuarios["abogado"])
    respuesta = client.post(_url("coactivado", "add"), _datos_coactivado(
        identificacion="1790011675001", nombre="  Comercial   Andina S.A. ",
        domicilios=[{"direccion": "Av. Amazonas N34-12", "canton": "Quito", "provincia": "17",
                     "fuente": "SRI", "registrado_en": "13/03/2025"}],
    ))
    assert respuesta.status_code == 302
    coactivado = Coactivado.objects.get()
    assert (coactivado.nombre, coactivado.tipo_identificacion) == ("Comercial Andina S.A.", "ruc")
    assert coactivado.creado_por == usuarios["abogado"]
    assert coactivado.domicilios.get().registrado_por == usuarios["abogado"]
    # the RUC's check digit fails: accepted, with the warning in the listing
    listado = client.get(_url("coactivado", "list")).content.decode()
    assert "RUC con dígito verificador no válido" in listado and "Av. Amazonas N34-12" in listado


@pytest.mark.parametrize(
    "identificacion, mensaje",
    [
        ("0102030405", "La cédula 0102030405 no es válida: el dígito verificador no corresponde"),
        ("12345", "La identificación debe tener 10 dígitos (cédula) o 13 dígitos (RUC)"),
    ],
)
def test_una_cedula_mal_formada_muestra_el_error_y_no_guarda(client, usuarios, identificacion, mensaje):
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(_url("coactivado", "add"), _datos_coactivado(
        identificacion=identificacion,
        domicilios=[{"direccion": "Calle Larga 1-23", "registrado_en": "13/03/2025"}],
    ))
    assert respuesta.status_code == 200
    assert mensaje in respuesta.content.decode()
    assert not Coactivado.objects.exists() and not Domicilio.objects.exists()


# --- Who reaches the registers ----------------------------------------------------------

@pytest.mark.parametrize("quien", ["archivista", "asesoria", "sin_rol"])
@pytest.mark.parametrize("modelo", ["coactivado", "tasainteres", "plantilladocumento"])
def test_sin_permiso_no_se_abren_los_registros(client, usuarios, expediente, quien, modelo):
    client.force_login(usuarios[quien])
    assert client.get(_url(modelo, "list")).status_code in (302, 403)
    objeto = {"coactivado": expediente.coactivado, "plantilladocumento": _plantilla()}.get(modelo)
    if objeto is not None:
        assert client.get(_url(modelo, "edit", objeto.pk)).status_code == 404  # as if it did not exist


@pytest.mark.parametrize("quien, ve", [("jefe", True), ("abogado", True), ("archivista", False)])
def test_el_menu_registros(client, usuarios, quien, ve):
    client.force_login(usuarios[quien])
    html = client.get(reverse("wagtailadmin_home")).content.decode()  # the sidebar, as JSON
    assert ('"label": "Registros"' in html) is ve
    for modelo in ("coactivado", "tasainteres", "plantilladocumento", "diaespecial"):
        assert (_url(modelo, "list") in html) is ve


def test_un_domicilio_registrado_no_se_borra_ni_se_corrige(client, usuarios, expediente):
    from expedientes.models import Domicilio

    coactivado = expediente.coactivado
    viejo = Domicilio.objects.create(coactivado=coactivado, direccion="Calle Vieja 1-11", canton="Cuenca",
                                     provincia="01", fuente="Orden de cobro", registrado_en=date(2024, 1, 10))
    client.force_login(usuarios["secretaria"])
    url = _url("coactivado", "edit", coactivado.pk)
    existente = {"id": viejo.pk, "direccion": viejo.direccion, "canton": "Cuenca", "provincia": "01",
                 "fuente": "Orden de cobro", "registrado_en": "10/01/2024"}

    corregido = client.post(url, _datos_coactivado(coactivado, domicilios=[existente | {"direccion": "Otra 2-22"}],
                                                   existentes=1))
    borrado = client.post(url, _datos_coactivado(coactivado, domicilios=[existente | {"DELETE": "1"}], existentes=1))
    for respuesta in (corregido, borrado):
        assert respuesta.status_code == 200
        assert "ya está registrado: no se borra ni se corrige" in respuesta.content.decode()
    viejo.refresh_from_db()
    assert viejo.direccion == "Calle Vieja 1-11"

    marcado = client.post(url, _datos_coactivado(coactivado, existentes=1, domicilios=[
        existente | {"desactualizado": "on"},
        {"direccion": "Av. Nueva 3-33", "canton": "Cuenca", "provincia": "01", "fuente": "SRI",
         "registrado_en": "01/06/2025"}]))
    assert marcado.status_code == 302
    viejo.refresh_from_db()
    assert viejo.desactualizado and coactivado.domicilios.count() == 2
