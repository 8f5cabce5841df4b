"""Opening an expediente registers its debtor in the same transaction: a failed opening
leaves no coactivado, two simultaneous openings for one cédula give one debtor, and a typed
name that differs from the registered one is reported, never silently dropped."""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from expedientes.models import Coactivado, ExpedientePage
from expedientes.services import expedientes as servicio_expedientes
from expedientes.services.coactivados import coactivado_registrar
from expedientes.services.expedientes import expediente_abrir
from tests.factories import cedula_valida

pytestmark = pytest.mark.servicios


def _abrir(usuario, **kwargs):
    datos = {"provincia": "01", "fecha_recepcion": date(2025, 3, 13), "monto_titulo": Decimal("100.00"),
             "usuario": usuario} | kwargs
    return expediente_abrir(**datos)


# --- the service -------------------------------------------------------------------------

def test_abre_y_registra_al_coactivado_en_una_sola_llamada(usuarios):
    cedula = cedula_valida()
    expediente = _abrir(usuarios["secretaria"], identificacion=cedula, nombre="  Juan   Pérez ")
    assert expediente.coactivado.identificacion == cedula
    assert expediente.coactivado.nombre == "Juan Pérez"
    assert expediente.coactivado.creado_por == usuarios["secretaria"]
    assert expediente.advertencias == []


def test_apertura_fallida_no_deja_coactivado(usuarios):
    with pytest.raises(ValidationError):
        _abrir(usuarios["secretaria"], identificacion=cedula_valida(), nombre="DEUDOR", monto_titulo=Decimal("0"))
    assert not Coactivado.objects.exists()
    assert not ExpedientePage.objects.exists()


def test_identificacion_invalida_no_deja_nada(usuarios):
    with pytest.raises(ValidationError, match="dígito verificador"):
        _abrir(usuarios["secretaria"], identificacion="0102030405", nombre="DEUDOR")
    assert not Coactivado.objects.exists() and not ExpedientePage.objects.exists()


def test_coactivado_o_identificacion_no_ambos(usuarios):
    coactivado = coactivado_registrar(identificacion=cedula_valida(), nombre="A")
    with pytest.raises(TypeError):
        _abrir(usuarios["secretaria"], coactivado=coactivado, identificacion=coactivado.identificacion, nombre="A")
    with pytest.raises(TypeError):
        _abrir(usuarios["secretaria"])


def test_nombre_distinto_se_informa_y_se_usa_el_registrado(usuarios):
    cedula = cedula_valida()
    coactivado_registrar(identificacion=cedula, nombre="COMERCIAL EL EJIDO CÍA. LTDA.")
    expediente = _abrir(usuarios["secretaria"], identificacion=cedula, nombre="Comercial Ejido")
    assert expediente.coactivado.nombre == "COMERCIAL EL EJIDO CÍA. LTDA."
    assert Coactivado.objects.get().nombre == "COMERCIAL EL EJIDO CÍA. LTDA."
    [advertencia] = expediente.advertencias
    assert f"La cédula {cedula} ya está registrada como «COMERCIAL EL EJIDO CÍA. LTDA.»" in advertencia
    assert "«Comercial Ejido»" in advertencia and "Para corregirlo" in advertencia


def test_mismo_nombre_con_otros_espacios_o_mayusculas_no_advierte(usuarios):
    cedula = cedula_valida()
    coactivado_registrar(identificacion=cedula, nombre="Textiles Paute S.A.")
    expediente = _abrir(usuarios["secretaria"], identificacion=cedula, nombre=" TEXTILES  PAUTE S.A.")
    assert expediente.advertencias == []


def _esperar_bloqueado_en(sql_contiene: str, segundos=10):
    """Until another session waits on a lock in a statement containing that text."""
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query ILIKE %s",
                [f"%{sql_contiene}%"],
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_registrar_el_mismo_coactivado_a_la_vez_no_falla(juzgado):
    """B reads no debtor and inserts while A's insert of the same cédula is not yet
    committed: B waits on the unique index, then must return A's row (no IntegrityError)."""
    cedula = cedula_valida()
    insertado, resultados, errores = threading.Event(), {}, []

    def a():
        try:
            with transaction.atomic():
                resultados["a"] = coactivado_registrar(identificacion=cedula, nombre="PRIMERO")
                insertado.set()
                _esperar_bloqueado_en("expedientes_coactivado")
        except Exception as exc:  # noqa: BLE001
            errores.append(exc)
        finally:
            insertado.set()
            connection.close()

    def b():
        try:
            insertado.wait(10)
            resultados["b"] = coactivado_registrar(identificacion=cedula, nombre="SEGUNDO")
        except Exception as exc:  # noqa: BLE001
            errores.append(exc)
        finally:
            connection.close()

    hilos = [threading.Thread(target=a), threading.Thread(target=b)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(30)
    assert errores == []
    assert resultados["a"].pk == resultados["b"].pk
    assert Coactivado.objects.filter(identificacion=cedula).count() == 1
    assert Coactivado.objects.get(identificacion=cedula).nombre == "PRIMERO"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dos_aperturas_simultaneas_misma_cedula_un_coactivado(usuarios):
    cedula = cedula_valida()
    barrera = threading.Barrier(2)
    abiertos, errores = [], []

    def abrir(nombre):
        try:
            barrera.wait()
            abiertos.append(_abrir(usuarios["secretaria"], identificacion=cedula, nombre=nombre))
        except Exception as exc:  # noqa: BLE001
            errores.append(exc)
        finally:
            connection.close()

    hilos = [threading.Thread(target=abrir, args=(n,)) for n in ("DEUDOR UNO", "DEUDOR UNO")]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(60)
    assert errores == []
    assert Coactivado.objects.filter(identificacion=cedula).count() == 1
    assert ExpedientePage.objects.filter(coactivado__identificacion=cedula).count() == 2
    assert len({e.numero for e in abiertos}) == 2


# --- the screen --------------------------------------------------------------------------

def _datos(**cambios):
    return {"identificacion": cedula_valida("03"), "nombre": "Comercial Azogues Cía. Ltda.",
            "provincia": "03", "fecha_recepcion": "13/03/2025", "monto_titulo": "1250,75",
            "orden_cobro_numero": "OC-2025-118", "titulo_numero": "TC-2025-0451",
            "titulo_fecha": "10/03/2025"} | cambios


def test_pantalla_apertura_fallida_no_deja_coactivado(client, usuarios, monkeypatch):
    """The opening fails at its last step (the título de crédito): nothing of it stays."""
    def fallar(**kwargs):
        raise ValidationError("El título de crédito no pudo registrarse.")

    monkeypatch.setattr(servicio_expedientes, "titulo_registrar", fallar)
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(reverse("expedientes_abrir"), _datos())
    assert respuesta.status_code == 200
    assert "El título de crédito no pudo registrarse." in respuesta.content.decode()
    assert not ExpedientePage.objects.exists()
    assert not Coactivado.objects.exists()


def test_pantalla_avisa_si_el_nombre_difiere_del_registrado(client, usuarios):
    cedula = cedula_valida("03")
    coactivado_registrar(identificacion=cedula, nombre="COMERCIAL AZOGUES CÍA. LTDA.")
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(reverse("expedientes_abrir"), _datos(identificacion=cedula, nombre="Azogues Comercial"))
    assert respuesta.status_code == 302
    mensajes = [(m.level_tag, str(m.message)) for m in get_messages(respuesta.wsgi_request)]
    avisos = [texto for nivel, texto in mensajes if nivel == "warning"]
    assert len(avisos) == 1, mensajes
    assert f"La cédula {cedula} ya está registrada como «COMERCIAL AZOGUES CÍA. LTDA.»" in avisos[0]
    assert "«Azogues Comercial»" in avisos[0] and "Para corregirlo" in avisos[0]
    assert Coactivado.objects.get().nombre == "COMERCIAL AZOGUES CÍA. LTDA."
    expediente = ExpedientePage.objects.get()
    assert expediente.coactivado.nombre == "COMERCIAL AZOGUES CÍA. LTDA."
    # the warning reaches the screen the user lands on
    pantalla = client.get(respuesta["Location"]).content.decode()
    assert "ya está registrada como «COMERCIAL AZOGUES CÍA. LTDA.»" in pantalla


def test_pantalla_ruc_con_verificador_invalido_sigue_advirtiendo(client, usuarios):
    ruc = "0190001234001"  # well-formed, check digit does not match
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(reverse("expedientes_abrir"), _datos(identificacion=ruc, nombre="EMPRESA S.A."))
    assert respuesta.status_code == 302
    avisos = [str(m.message) for m in get_messages(respuesta.wsgi_request) if m.level_tag == "warning"]
    assert any(ruc in a and "dígito verificador" in a for a in avisos), avisos
