"""The project's Spanish catalogue (locale/es/LC_MESSAGES/django.po) fills the gaps of
Wagtail's own "es" catalogues. These checks read only the files: no database, no services."""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest

LOCALE_ES = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES"
RUTA_PO = LOCALE_ES / "django.po"
RUTA_MO = LOCALE_ES / "django.mo"

# %(name)s, %(count)d, %s, %d ... and {name}, {0}, {}; "%%" is a literal percent sign.
MARCADOR = re.compile(
    r"%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[sdifrx]"
    r"|%[#0 +-]*\d*(?:\.\d+)?[sdifrx]"
    r"|\{[^{}\s]*\}"
)


def marcadores(texto):
    return Counter(MARCADOR.findall(texto.replace("%%", "")))


def pares(entrada):
    """(source, translation) pairs: msgid/msgstr, or msgid/msgstr[0] and msgid_plural/msgstr[1]."""
    if entrada.msgid_plural:
        return [
            (entrada.msgid, entrada.msgstr_plural.get(0, "")),
            (entrada.msgid_plural, entrada.msgstr_plural.get(1, "")),
        ]
    return [(entrada.msgid, entrada.msgstr)]


def descripcion(entrada):
    contexto = f"[{entrada.msgctxt}] " if entrada.msgctxt else ""
    return f"{contexto}{entrada.msgid!r}"


@pytest.fixture(scope="module")
def catalogo():
    return polib.pofile(str(RUTA_PO))


def test_cabecera(catalogo):
    assert catalogo.metadata["Language"] == "es"
    assert catalogo.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "charset=UTF-8" in catalogo.metadata["Content-Type"]


def test_todas_las_entradas_traducidas(catalogo):
    entradas = [e for e in catalogo if not e.obsolete]
    assert entradas
    sin_traducir = [
        descripcion(e)
        for e in entradas
        if "fuzzy" in e.flags
        or not e.translated()
        or (e.msgid_plural and sorted(e.msgstr_plural) != [0, 1])
        or any(not traduccion.strip() for _, traduccion in pares(e))
    ]
    assert not sin_traducir, "Sin traducir:\n" + "\n".join(sin_traducir)


def test_sin_entradas_duplicadas(catalogo):
    claves = Counter((e.msgctxt, e.msgid) for e in catalogo if not e.obsolete)
    assert [clave for clave, veces in claves.items() if veces > 1] == []


def test_marcadores_iguales_en_original_y_traduccion(catalogo):
    distintos = []
    for entrada in catalogo:
        if entrada.obsolete:
            continue
        for original, traduccion in pares(entrada):
            if marcadores(original) != marcadores(traduccion):
                distintos.append(f"{original!r} -> {traduccion!r}")
    assert not distintos, "Marcadores distintos:\n" + "\n".join(distintos)


def clave_mo(entrada):
    return (
        entrada.msgctxt,
        entrada.msgid,
        entrada.msgid_plural,
        entrada.msgstr,
        tuple(sorted((int(k), v) for k, v in entrada.msgstr_plural.items())),
    )


def test_mo_al_dia(catalogo, tmp_path):
    assert RUTA_MO.exists(), "Falta django.mo: compile el .po con polib (save_as_mofile)."
    recien_compilado = tmp_path / "django.mo"
    catalogo.save_as_mofile(str(recien_compilado))
    esperado = polib.mofile(str(recien_compilado))
    versionado = polib.mofile(str(RUTA_MO))
    assert versionado.metadata == esperado.metadata
    assert sorted(map(clave_mo, versionado)) == sorted(map(clave_mo, esperado)), (
        "django.mo no corresponde a django.po: vuelva a compilarlo."
    )
