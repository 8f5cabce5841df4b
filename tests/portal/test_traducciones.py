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


# --- Wagtail's JavaScript catalogue (/admin/jsi18n/) -------------------------------------------

RUTA_JS_PO = LOCALE_ES / "djangojs.po"
WAGTAIL_ADMIN_LOCALE = Path(__import__("wagtail.admin").admin.__file__).parent / "locale"


def _traducidas(mo) -> set[str]:
    return {e.msgid for e in mo if e.msgstr or any(e.msgstr_plural.values())}


def test_idioma_del_portal_tiene_catalogo_js_de_wagtail(settings):
    """LANGUAGE_CODE is «es», the variant Wagtail ships a JavaScript catalogue for (not es-EC,
    which has none and would leave the admin's JavaScript in English)."""
    assert settings.LANGUAGE_CODE == "es"
    assert (WAGTAIL_ADMIN_LOCALE / "es" / "LC_MESSAGES" / "djangojs.mo").exists()
    assert [codigo for codigo, _ in settings.WAGTAILADMIN_PERMITTED_LANGUAGES] == ["es"]


def test_catalogo_js_cubre_todo_lo_que_wagtail_deja_en_ingles():
    """Every string of Wagtail's admin JavaScript is in Spanish: Wagtail's own «es» catalogue
    or, for what it lacks, the portal's locale/es/LC_MESSAGES/djangojs.po."""
    fuente = polib.pofile(str(WAGTAIL_ADMIN_LOCALE / "en" / "LC_MESSAGES" / "djangojs.po"))
    de_wagtail = _traducidas(polib.mofile(str(WAGTAIL_ADMIN_LOCALE / "es" / "LC_MESSAGES" / "djangojs.mo")))
    propio = polib.pofile(str(RUTA_JS_PO))
    nuestras = {e.msgid for e in propio if e.translated() and "fuzzy" not in e.flags}
    faltan = [e.msgid for e in fuente if e.msgid not in de_wagtail | nuestras]
    assert not faltan, "Textos de JavaScript sin traducir:\n" + "\n".join(faltan)
    distintos = [f"{o!r} -> {t!r}" for e in propio for o, t in pares(e) if marcadores(o) != marcadores(t)]
    assert not distintos


def test_catalogo_js_compilado_y_con_la_regla_de_plural_de_wagtail(tmp_path):
    propio = polib.pofile(str(RUTA_JS_PO))
    wagtail = polib.pofile(str(WAGTAIL_ADMIN_LOCALE / "es" / "LC_MESSAGES" / "djangojs.po"))
    # Django puts the last merged catalogue first and the JavaScript takes its plural rule
    # from there: it must be Wagtail's, or Wagtail's plural forms would be picked wrongly.
    assert propio.metadata["Plural-Forms"] == wagtail.metadata["Plural-Forms"]
    compilado = tmp_path / "djangojs.mo"
    propio.save_as_mofile(str(compilado))
    assert sorted(map(clave_mo, polib.mofile(str(compilado)))) == sorted(
        map(clave_mo, polib.mofile(str(RUTA_JS_PO.with_suffix(".mo"))))), "djangojs.mo no corresponde al .po"


def test_el_catalogo_js_servido_esta_en_castellano():
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.urls import reverse
    from django.utils import translation

    peticion = RequestFactory().get(reverse("wagtailadmin_javascript_catalog"))
    peticion.user = AnonymousUser()
    with translation.override("es"):
        from wagtail.admin.views.i18n import localized_js_catalog

        texto = localized_js_catalog(peticion).content.decode()
    assert "Fijar la barra de herramientas" in texto  # ours: Wagtail's es lacks it
    assert "nuevos items en este men" in texto  # Wagtail's own es catalogue, still served
    assert "Pin toolbar" in texto  # (the key; its value is the Spanish above)


# --- «usted», never «tú»; no masculine article before a feminine model name --------------------

# forms only «tú» uses (an imperative like «selecciona» is also «usted selecciona»)
TUTEO = re.compile(r"\b(tienes|puedes|quieres|deseas|estás|tu|tus|has|te|ti|contigo|"
                   r"escríbe\w*|selecciónal\w*|asegúrate|inténtalo|da|deja)\b", re.IGNORECASE)


def test_wagtail_habla_de_usted():
    from django.utils import translation
    from django.utils.translation import gettext, ngettext

    base = Path(__import__("wagtail").__file__).parent
    tuteos = []
    with translation.override("es"):
        for app in ("admin", "snippets", "users"):
            for entrada in polib.pofile(str(base / app / "locale" / "es" / "LC_MESSAGES" / "django.po")):
                if entrada.msgctxt:
                    continue
                if entrada.msgid_plural:
                    textos = [ngettext(entrada.msgid, entrada.msgid_plural, n) for n in (1, 2)]
                else:
                    textos = [gettext(entrada.msgid)]
                tuteos += [f"{entrada.msgid!r} -> {t!r}" for t in textos if TUTEO.search(t)]
    assert not tuteos, "Tuteo en la interfaz:\n" + "\n".join(tuteos)


def test_mensajes_de_registros_sin_error_de_genero():
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("es"):
        creado = gettext("The %(model_name)s could not be created due to errors.") % {"model_name": "tasa de interés"}
        listo = gettext("%(model_name)s '%(object)s' created.") % {"model_name": "Tasa de interés", "object": "9,50 %"}
    assert not creado.startswith("El tasa") and "revise" in creado
    assert listo == "Tasa de interés «9,50 %»: registro creado."
