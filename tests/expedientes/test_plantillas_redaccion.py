"""The templates' Spanish reads right with every value (issue 9, point 4): every default
document template is rendered with edge values (one título and several, USD 0,01 and
USD 1.000.000,00, names with accents or ending in a period, optional data missing) and its
text is read for what a lawyer would strike out."""

import html
import itertools
import re
from datetime import date
from decimal import Decimal

import pytest

from expedientes.documentos import plantilla_renderizar
from expedientes.documentos.contexto import EXTRA_EJEMPLO, contexto_ejemplo
from expedientes.models import ClaveDocumento
from expedientes.services.documentos import plantilla_defecto

# What reads wrong, whatever the values: each (pattern, why).
DEFECTOS = [
    (re.compile(r"\b[Dd]e el\b"), "«de el» (es «del»)"),
    (re.compile(r"\b[Aa] el\b"), "«a el» (es «al»)"),
    (re.compile(r"\bNone\b"), "un valor vacío impreso como «None»"),
    (re.compile(r"con base en Según", re.I), "«con base en Según»"),
    (re.compile(r"\{\{|\}\}|\{%|%\}|⟦"), "restos de la plantilla"),
    (re.compile(r"  "), "espacios dobles"),
    (re.compile(r" [,.;:)]"), "espacio antes de un signo"),
    (re.compile(r"\( "), "espacio tras un paréntesis"),
    # («Cía. Ltda., con RUC…» is right: an abbreviation's period takes a comma after it)
    (re.compile(r"[,;:]\s*[,.;:]|\.\.|\(\)"), "puntuación doble"),
    # a word that needs what follows, left before a sign: a value was missing
    (re.compile(r"\b(?:en|de|del|al|a|con|y|el|la|por|N\.º|hasta)\s*[,.;:)]", re.I), "una palabra sin su dato"),
    (re.compile(r"\b(?:Cédula|Ruc)\b"), "el tipo de documento en mayúscula dentro de la frase"),
]

TITULO = {"numero": "TC-2025-0451", "fecha_emision": date(2025, 3, 10), "capital": Decimal("0.01")}
RESOLUCIONES = ["Resolución N.º MDT-DRTSPC-2025-0012", "la orden de cobro N.º OC-2025-118", ""]
NOMBRES = [("MARÍA JOSÉ ÑAUPARI PÉREZ", "cédula", "0102030405"),
           ("Comercial Andina Cía. Ltda.", "RUC", "0190000000001")]


def _titulos(cuantos: int, resolucion: str) -> list[dict]:
    return [{**TITULO, "numero": f"TC-2025-04{5 + i}", "resolucion": resolucion} for i in range(cuantos)]


def _contextos():
    """Every combination of the edge values that change the wording."""
    for cuantos, resolucion, monto, (nombre, tipo, numero), completo in itertools.product(
            (1, 3), RESOLUCIONES, (Decimal("0.01"), Decimal("1000000.00")), NOMBRES, (True, False)):
        contexto = contexto_ejemplo({**EXTRA_EJEMPLO})
        contexto["titulos"] = _titulos(cuantos, resolucion)
        contexto["cuenta"] = {"capital": monto, "intereses": Decimal("0.00"), "costas": Decimal("0.00"),
                              "pagado": Decimal("0.00"), "saldo": monto}
        contexto["coactivado"] = {
            **contexto["coactivado"], "nombre": nombre, "tipo_identificacion": tipo, "identificacion": numero,
        }
        if not completo:  # what the orden de cobro may not say, and a signer with no title
            contexto["coactivado"].update(domicilio="", correo="", casillero_judicial="", telefono="")
            contexto["expediente"] = {**contexto["expediente"], "abogado": "", "orden_cobro": ""}
            contexto["firmante"] = {"nombre": "Ana Lucía Cañar Íñiguez", "cargo": ""}
            contexto["oficio"] = {**contexto["oficio"], "destinatario": ""}
            contexto["busquedas"] = []
        yield f"{cuantos}-títulos/{resolucion or 'sin-resolución'}/{monto}/{tipo}/{'completo' if completo else 'mínimo'}", contexto


_BLOQUES = re.compile(r"</?(?:p|h\d|li|ul|ol|br|div|table|tr|td)\b[^>]*>", re.I)


def texto_de(html_renderizado: str) -> list[str]:
    """The lines a reader sees: block tags end a line, inline tags vanish, entities decoded."""
    texto = _BLOQUES.sub("\n", html_renderizado)
    texto = html.unescape(re.sub(r"<[^>]+>", "", texto))
    return [" ".join(linea.split(" ")).strip() for linea in texto.replace("\r", "").split("\n") if linea.strip()]


@pytest.mark.parametrize("clave", list(ClaveDocumento), ids=lambda c: c.value)
def test_cada_plantilla_se_lee_bien_con_valores_extremos(clave):
    cuerpo = plantilla_defecto(clave.value)
    problemas = []
    for caso, contexto in _contextos():
        for linea in texto_de(plantilla_renderizar(cuerpo, contexto)):
            for patron, motivo in DEFECTOS:
                if coincidencia := patron.search(linea):
                    problemas.append(f"[{caso}] {motivo}: …{linea[max(0, coincidencia.start() - 40):coincidencia.end() + 40]}…")
    assert not problemas, "\n".join(sorted(set(problemas))[:40])


def test_el_auto_de_pago_concuerda_en_numero_con_los_titulos():
    cuerpo = plantilla_defecto(ClaveDocumento.AUTO_PAGO.value)
    uno = contexto_ejemplo({**EXTRA_EJEMPLO, "titulos": _titulos(1, "la orden de cobro N.º OC-1")})
    texto = " ".join(texto_de(plantilla_renderizar(cuerpo, uno)))
    assert "Por cuanto del título de crédito N.º TC-2025-045, emitido el 10 de marzo de 2025 con base en la orden de cobro N.º OC-1, consta que" in texto
    tres = contexto_ejemplo({**EXTRA_EJEMPLO, "titulos": _titulos(3, "")})
    texto = " ".join(texto_de(plantilla_renderizar(cuerpo, tres)))
    assert ("Por cuanto de los títulos de crédito N.º TC-2025-045, emitido el 10 de marzo de 2025; "
            "N.º TC-2025-046, emitido el 10 de marzo de 2025; y N.º TC-2025-047, emitido el 10 de marzo de 2025, "
            "consta que") in texto
    assert "con base en" not in texto


def test_montos_extremos_en_letras():
    from expedientes.templatetags.coactivas import letras

    assert letras(Decimal("0.01")) == "CERO DÓLARES CON UN CENTAVO"
    assert letras(Decimal("1000000.00")) == "UN MILLÓN DE DÓLARES CON CERO CENTAVOS"
    assert letras(Decimal("2000000.50")) == "DOS MILLONES DE DÓLARES CON CINCUENTA CENTAVOS"
    assert letras(Decimal("1500000.00")) == "UN MILLÓN QUINIENTOS MIL DÓLARES CON CERO CENTAVOS"


@pytest.mark.django_db
def test_una_plantilla_por_omision_sin_editar_se_actualiza_y_una_editada_no(juzgado, monkeypatch):
    import hashlib

    from expedientes.models import PlantillaDocumento
    from expedientes.services import documentos

    anterior = "<p>Por cuanto de el título {{ coactivado.nombre }}</p>"
    monkeypatch.setattr(documentos, "DEFECTOS_ANTERIORES",
                        frozenset({hashlib.sha256(anterior.encode()).hexdigest()}))
    PlantillaDocumento.objects.filter(clave=ClaveDocumento.AUTO_PAGO).update(cuerpo=anterior)
    PlantillaDocumento.objects.filter(clave=ClaveDocumento.PROVIDENCIA_IMPULSO).update(cuerpo="<p>De la unidad.</p>")
    documentos.plantillas_asegurar()
    auto = PlantillaDocumento.objects.get(clave=ClaveDocumento.AUTO_PAGO)
    assert auto.cuerpo == plantilla_defecto("auto_pago") and auto.revisions.count() == 2
    assert PlantillaDocumento.objects.get(clave=ClaveDocumento.PROVIDENCIA_IMPULSO).cuerpo == "<p>De la unidad.</p>"
