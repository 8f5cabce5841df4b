"""Search in the documents (expedientes/busqueda_texto.py): accent- and case-insensitive, with
the folio and a highlighted snippet, filtered by the permission policy inside the query (hits,
counts, facets), safe with operators, quotes, SQL and 5,000 characters; saved searches.
The pages' text is written directly here (part C writes it in production), the files go
through the real custody pipeline (S3, clamd), the search through the real PostgreSQL."""

import pytest
from django.urls import reverse

from expedientes.busqueda_texto import MAX_CONSULTA, TOPE_CONTEO, ConsultaInvalida, buscar
from expedientes.models import BusquedaGuardada, OrigenTexto, PaginaTexto
from expedientes.models.expediente import Provincia
from expedientes.services.adjuntos import adjunto_crear
from permisos import roles
from tests.factories import expediente_crear, usuario_con_rol


def _paginas(version, *textos):
    expediente = version.adjunto.actuacion.get_parent().specific
    for numero, texto in enumerate(textos, start=1):
        PaginaTexto.objects.create(version=version, expediente=expediente, numero=numero, texto=texto,
                                   origen=OrigenTexto.OCR)
    type(version).objects.filter(pk=version.pk).update(paginas=len(textos))


def _actuacion_de(expediente, usuario):
    from expedientes.models import TipoActuacion
    from expedientes.services.actuaciones import actuacion_registrar

    return actuacion_registrar(expediente=expediente, tipo=TipoActuacion.AUTO_DE_PAGO,
                               fecha=expediente.fecha_recepcion, usuario=usuario)


@pytest.fixture
def documentos(actuacion, usuarios, pdf):
    """The abogado's expediente: a 3-page file, then a 2-page one whose page 2 is folio 5."""
    abogado = usuarios["abogado"]
    primero = adjunto_crear(actuacion=actuacion, titulo="Auto de pago", flujo=pdf(), nombre="a.pdf",
                            usuario=abogado)
    segundo = adjunto_crear(actuacion=actuacion, titulo="Oficio de retención", flujo=pdf(), nombre="b.pdf",
                            usuario=abogado)
    _paginas(primero, "Auto de pago dictado por la jueza", "Notifíquese al coactivado", "Cúmplase")
    _paginas(segundo, "Oficio dirigido al banco",
             "Se ordena la RETENCIÓN de los fondos por el título de crédito tributario impago.")
    return primero, segundo


@pytest.fixture
def ajeno(usuarios, pdf):
    """Another abogado's expediente (Guayas), with a page holding the same word and one of its own."""
    otro = usuario_con_rol(roles.ROL_ABOGADO, username="abogado_ajeno")
    expediente = expediente_crear(usuario=usuarios["secretaria"], abogado=otro, provincia="09",
                                  nombre="ZAPATERÍA ÑANDÚ CÍA. LTDA.")
    actuacion = _actuacion_de(expediente, usuarios["secretaria"])
    version = adjunto_crear(actuacion=actuacion, titulo="Informe", flujo=pdf(), nombre="c.pdf", usuario=otro)
    _paginas(version, "Título de crédito de la zapatería, embargo del inmueble.")
    return otro, expediente


def test_sin_tildes_ni_mayusculas_con_folio_y_fragmento(documentos, usuarios, expediente):
    _, segundo = documentos
    for consulta in ("credito", "CRÉDITO", "retencion creditos"):
        resultado = buscar(usuarios["abogado"], consulta)
        assert resultado.total == 1 and resultado.total_exacto, consulta
        hit, = resultado.hits
        assert (hit.expediente.pk, hit.version.pk, hit.pagina, hit.folio) == (expediente.pk, segundo.pk, 2, 5)
        assert hit.actuacion.pk == segundo.adjunto.actuacion_id
    assert "<mark>crédito</mark>" in hit.fragmento and "<mark>RETENCIÓN</mark>" in hit.fragmento
    # the hits' folios in two queries say what the one definition says
    from expedientes.folios import documentos_foliados, documentos_foliados_de

    assert documentos_foliados_de([expediente]) == {expediente.pk: documentos_foliados(expediente)}
    # the facets of the abogado's hits: one expediente, Pichincha, its year and state
    assert [(e, n) for _, e, n in resultado.facetas["provincia"]] == [(Provincia("01").label, 1)]
    assert [v for v, _, _ in resultado.facetas["anio"]] == [str(expediente.anio)]


def test_el_abogado_no_ve_ni_cuenta_lo_ajeno(documentos, ajeno, usuarios, expediente, client):
    otro, expediente_ajeno = ajeno
    abogado = usuarios["abogado"]
    resultado = buscar(abogado, "crédito")
    assert resultado.total == 1 and resultado.expedientes_con_hits == 1
    assert {h.expediente.pk for h in resultado.hits} == {expediente.pk}
    assert sum(n for _, _, n in resultado.facetas["provincia"]) == 1
    assert all(v != "09" for v, _, _ in resultado.facetas["provincia"])
    # a word only the other file holds: nothing, not even a count or a facet
    for consulta in ("zapateria", "embargo inmueble", expediente_ajeno.numero, "ÑANDU"):
        resultado = buscar(abogado, consulta)
        assert (resultado.total, resultado.hits, resultado.expedientes, resultado.facetas.get("provincia", [])) \
            == (0, [], [], []), consulta
    # the other abogado finds his own; the jefe (the whole unit) both
    assert {h.expediente.pk for h in buscar(otro, "credito").hits} == {expediente_ajeno.pk}
    jefe = buscar(usuarios["jefe"], "credito")
    assert jefe.total == 2 and {h.expediente.pk for h in jefe.hits} == {expediente.pk, expediente_ajeno.pk}
    assert {v for v, _, _ in jefe.facetas["provincia"]} == {"01", "09"}
    # the screen: no number, name or snippet of the other's file
    client.force_login(abogado)
    cuerpo = client.get(reverse("busqueda_texto"), {"q": "credito"}).content.decode()
    assert expediente.numero in cuerpo and "<mark>crédito</mark>" in cuerpo
    assert expediente_ajeno.numero not in cuerpo and "zapatería" not in cuerpo.lower()
    cuerpo = client.get(reverse("busqueda_texto"), {"q": "zapateria", "provincia": "09"}).content.decode()
    assert expediente_ajeno.numero not in cuerpo and "Ninguna página de sus expedientes" in cuerpo


def test_por_numero_coactivado_y_cedula(documentos, usuarios, expediente):
    abogado = usuarios["abogado"]
    coactivado = expediente.coactivado
    for consulta in (expediente.numero, coactivado.identificacion, "empresa prueba"):
        assert [e.pk for e in buscar(abogado, consulta).expedientes] == [expediente.pk], consulta


def test_filtros_de_las_facetas(documentos, ajeno, usuarios, expediente):
    jefe = usuarios["jefe"]
    assert {h.expediente.pk for h in buscar(jefe, "credito", {"provincia": "01"}).hits} == {expediente.pk}
    assert buscar(jefe, "credito", {"provincia": "01", "anio": "1990"}).total == 0
    # unknown filters and values are ignored, never passed to SQL
    assert buscar(jefe, "credito", {"provincia": "'; drop table x; --", "otro": 1}).total == 2


@pytest.mark.parametrize("consulta", [
    'crédito & | ! :* ( ) <-> <2>', '"título de crédito', "crédito' OR 1=1 --",
    "'; DROP TABLE expedientes_paginatexto; --", "-crédito", "crédito -zapatería", '"" \\ \x00 %_',
    "título:* & !crédito", "or and not",
])
def test_operadores_comillas_y_sql_no_fallan(documentos, usuarios, consulta, client):
    buscar(usuarios["jefe"], consulta)  # no exception
    client.force_login(usuarios["abogado"])
    assert client.get(reverse("busqueda_texto"), {"q": consulta}).status_code == 200
    assert PaginaTexto.objects.count() == 5


def test_consultas_imposibles_dicen_por_que(documentos, usuarios, client):
    with pytest.raises(ConsultaInvalida, match="demasiado larga"):
        buscar(usuarios["abogado"], "crédito " * 700)  # 5,600 characters
    assert buscar(usuarios["abogado"], "de la").aviso.startswith("La búsqueda no tiene palabras")
    client.force_login(usuarios["abogado"])
    cuerpo = client.get(reverse("busqueda_texto"), {"q": "x" * 5000}).content.decode()
    assert "demasiado larga" in cuerpo and f"como máximo {MAX_CONSULTA}" in cuerpo
    assert client.get(reverse("busqueda_texto"), {"q": "credito", "pagina": "99999999"}).status_code == 200


def test_conteo_con_tope(documentos, usuarios, expediente, client):
    """More matches than TOPE_CONTEO: the count says «más de», the facets read no more."""
    _, segundo = documentos
    PaginaTexto.objects.bulk_create([
        PaginaTexto(version=segundo, expediente=expediente, numero=n, texto="Embargo del vehículo",
                    origen=OrigenTexto.NATIVO) for n in range(3, TOPE_CONTEO + 8)])
    resultado = buscar(usuarios["abogado"], "embargo")
    assert (resultado.total, resultado.total_exacto) == (TOPE_CONTEO, False)
    assert len(resultado.hits) == 20 and resultado.hay_mas
    client.force_login(usuarios["abogado"])
    assert f"Más de {TOPE_CONTEO} páginas" in client.get(reverse("busqueda_texto"), {"q": "embargo"}).content.decode()
    assert buscar(usuarios["abogado"], "embargo", pagina=2).hits[0].pagina_texto_id not in {
        h.pagina_texto_id for h in resultado.hits}


def test_ordena_por_pertinencia(documentos, usuarios, expediente, client):
    """The page that is about the word comes first, wherever it is stored."""
    _, segundo = documentos
    relleno = " ".join(["providencia notificada al coactivado en su domicilio"] * 20)
    PaginaTexto.objects.bulk_create(
        [PaginaTexto(version=segundo, expediente=expediente, numero=n, origen=OrigenTexto.NATIVO,
                     texto=f"{relleno} embargo {relleno}") for n in range(3, 40)]
        + [PaginaTexto(version=segundo, expediente=expediente, numero=40, origen=OrigenTexto.NATIVO,
                       texto="Embargo: se ordena el embargo del inmueble; inscríbase el embargo.")])
    assert buscar(usuarios["abogado"], "embargos").hits[0].pagina == 40


def test_busquedas_guardadas_de_cada_usuario(documentos, ajeno, usuarios, client):
    otro, _ = ajeno
    client.force_login(usuarios["abogado"])
    respuesta = client.post(reverse("busqueda_guardar"), {"q": "crédito", "provincia": "01", "nombre": "Retenciones"})
    assert respuesta.status_code == 302
    guardada = BusquedaGuardada.objects.get()
    assert (guardada.usuario, guardada.consulta, guardada.filtros) == (usuarios["abogado"], "crédito", {"provincia": "01"})
    assert client.post(reverse("busqueda_guardar"), {"q": "x" * 5000}).status_code == 302
    assert BusquedaGuardada.objects.count() == 1
    cuerpo = client.get(reverse("busquedas_guardadas")).content.decode()
    assert "Retenciones" in cuerpo and "provincia=01" in cuerpo
    # another user neither sees nor deletes it (404, as if it did not exist)
    client.force_login(otro)
    assert "Retenciones" not in client.get(reverse("busquedas_guardadas")).content.decode()
    assert client.post(reverse("busquedas_guardadas"), {"eliminar": guardada.pk}).status_code == 404
    client.force_login(usuarios["abogado"])
    assert client.post(reverse("busquedas_guardadas"), {"eliminar": guardada.pk}).status_code == 302
    assert not BusquedaGuardada.objects.exists()


def _orden_exacto(expediente, consulta):
    """Every matching page of the expediente by rank (the ranking of the search, with no cap)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""select id from expedientes_paginatexto
                           where expediente_id = %s and busqueda @@ websearch_to_tsquery('coactivas_es', %s)
                           order by busqueda <=> websearch_to_tsquery('coactivas_es', %s), id""",
                       [expediente.pk, consulta, consulta])
        return [f[0] for f in cursor.fetchall()]


def test_marcadores_de_frecuencia_en_el_vector(documentos, usuarios, expediente):
    """Migration 0026's function: a marker «lexema n» for each level the word reaches, which
    nothing a user types can match."""
    from django.db import connection

    from expedientes.models.lectura import NIVELES_FRECUENCIA

    _, segundo = documentos
    pagina = PaginaTexto.objects.create(version=segundo, expediente=expediente, numero=3, origen=OrigenTexto.OCR,
                                        texto="Embargos: " + " y ".join(["embargo"] * 7) + ", vehículo vehículo.")
    with connection.cursor() as cursor:
        cursor.execute("select lexeme from unnest((select busqueda from expedientes_paginatexto where id = %s))",
                       [pagina.pk])
        lexemas = {f[0] for f in cursor.fetchall()}
    assert lexemas == {"embarg", "vehicul", "vehicul 2"} | {f"embarg {n}" for n in NIVELES_FRECUENCIA}
    for consulta in ("embarg 8", '"embargo 8"', "vehicul 2"):
        assert all(h.pagina_texto_id != pagina.pk for h in buscar(usuarios["abogado"], consulta).hits)


def _paginas_con_frecuencias(documentos, ajeno, expediente) -> list[int]:
    """The lawyer's expediente gets 42 more pages holding «embargo» 1 to 9 times, and another
    lawyer's a page holding it 12 times; returns the times per page."""
    _, segundo = documentos
    veces = [1] * 25 + [2] * 4 + [3] * 3 + [4, 5, 5, 6, 9] + [1] * 5
    PaginaTexto.objects.bulk_create([
        PaginaTexto(version=segundo, expediente=expediente, numero=n, origen=OrigenTexto.OCR,
                    texto=f"Folio {n}: " + " ".join(f"el embargo número {k} del predio" for k in range(v)))
        for n, v in enumerate(veces, start=3)])
    otro, ajeno_expediente = ajeno
    version_ajena = PaginaTexto.objects.filter(expediente=ajeno_expediente).first().version
    PaginaTexto.objects.create(version=version_ajena, expediente=ajeno_expediente, numero=2,
                               origen=OrigenTexto.OCR, texto=" ".join(["embargo"] * 12))
    return veces


@pytest.mark.parametrize("por_pagina,estadisticas", [(20, False), (3, False), (3, True)])
def test_una_palabra_en_mas_paginas_que_el_tope_se_ordena_exacta(documentos, ajeno, usuarios, expediente,
                                                                  monkeypatch, por_pagina, estadisticas):
    """A word in more pages than TOPE_RANGO: the order is still the ranking's over all of them
    (by the frequency markers), page after page, and never shows another lawyer's pages; with
    the planner's statistics too (they choose the first level read, migration 0027)."""
    from django.db import connection

    from expedientes import busqueda_texto

    monkeypatch.setattr(busqueda_texto, "TOPE_RANGO", 30)
    monkeypatch.setattr(busqueda_texto, "POR_PAGINA", por_pagina)
    monkeypatch.setattr(busqueda_texto, "_ESTADISTICAS", {})
    veces = _paginas_con_frecuencias(documentos, ajeno, expediente)
    if estadisticas:
        with connection.cursor() as cursor:  # ANALYZE counts this transaction's own rows
            cursor.execute("ANALYZE expedientes_paginatexto")
            cursor.execute("ANALYZE expedientes_expedientepage")
        frecuencias, _, paginas, _ = busqueda_texto._estadisticas()
        assert paginas > 0 and "embarg 2" in frecuencias
    iniciales = []
    original = busqueda_texto._nivel_inicial
    monkeypatch.setattr(busqueda_texto, "_nivel_inicial", lambda *a: iniciales.append(original(*a)) or iniciales[-1])
    exacto = _orden_exacto(expediente, "embargos")
    assert len(exacto) == len(veces) > 30
    vistos = []
    for pagina in (1, 2, 3):
        resultado = buscar(usuarios["abogado"], "embargos", pagina=pagina)
        vistos += [h.pagina_texto_id for h in resultado.hits]
        assert not resultado.orden_parcial
    assert vistos == exacto[:3 * por_pagina]
    assert iniciales and (min(iniciales) < 8) == estadisticas  # the statistics started below the top


def test_un_nivel_inicial_demasiado_bajo_no_cambia_el_orden(documentos, ajeno, usuarios, expediente,
                                                           monkeypatch):
    """The statistics only choose where to start: started at a level with more than TOPE_RANGO
    pages, the levels above are read and the order is still exact."""
    from expedientes import busqueda_texto

    monkeypatch.setattr(busqueda_texto, "TOPE_RANGO", 10)
    monkeypatch.setattr(busqueda_texto, "POR_PAGINA", 3)
    monkeypatch.setattr(busqueda_texto, "_nivel_inicial", lambda lexema, niveles, hasta, parte: niveles[-1])
    _paginas_con_frecuencias(documentos, ajeno, expediente)  # 12 pages hold it twice or more, 4 five times
    resultado = buscar(usuarios["abogado"], "embargos")
    assert [h.pagina_texto_id for h in resultado.hits] == _orden_exacto(expediente, "embargos")[:3]
    assert not resultado.orden_parcial


def _paginas_iguales(version, expediente, texto: str, cuantas: int) -> None:
    """`cuantas` more pages of `version` (after its first two) with the same text."""
    PaginaTexto.objects.bulk_create([
        PaginaTexto(version=version, expediente=expediente, numero=n, texto=texto, origen=OrigenTexto.NATIVO)
        for n in range(3, 3 + cuantas)])


def test_varias_palabras_en_mas_paginas_que_el_tope_lo_dice(documentos, usuarios, expediente, monkeypatch, client):
    from expedientes import busqueda_texto

    monkeypatch.setattr(busqueda_texto, "TOPE_RANGO", 5)
    monkeypatch.setattr(busqueda_texto, "TOPE_CONTEO", 4)
    _paginas_iguales(documentos[1], expediente, "Embargo del vehículo", 9)
    assert buscar(usuarios["abogado"], "embargo vehiculo").orden_parcial
    assert not buscar(usuarios["abogado"], "embargo").orden_parcial
    client.force_login(usuarios["abogado"])
    contenido = client.get(reverse("busqueda_texto"), {"q": "embargo vehiculo"}).content.decode()
    assert "se ordenan por pertinencia las primeras" in contenido
    assert "se ordenan por pertinencia" not in client.get(reverse("busqueda_texto"), {"q": "embargo"}).content.decode()


def test_una_palabra_cuyo_nivel_suficiente_pasa_el_tope_lo_dice(documentos, usuarios, expediente, monkeypatch):
    """The one case where one word is not ranked exactly: the first frequency level with a
    screenful of pages has more than TOPE_RANGO of them. The screen says so."""
    from expedientes import busqueda_texto

    monkeypatch.setattr(busqueda_texto, "TOPE_RANGO", 5)
    monkeypatch.setattr(busqueda_texto, "POR_PAGINA", 3)
    _paginas_iguales(documentos[1], expediente, "Embargo y embargo", 8)
    resultado = buscar(usuarios["abogado"], "embargo")
    assert resultado.orden_parcial and len(resultado.hits) == 3


def test_una_palabra_comun_se_busca_en_las_paginas_del_abogado(documentos, ajeno, usuarios, monkeypatch):
    """A search expected on far more pages than the lawyer sees (busqueda_texto._comun) reads his
    candidates by the expediente index, the words' index out of the planner's reach (the test
    written as ts_match_vq): the same hits, counts and facets as through the words' index."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from expedientes import busqueda_texto

    abogado = usuarios["abogado"]
    antes = buscar(abogado, "credito")
    assert busqueda_texto._paginas_estimadas("credito") > 0  # the planner's own estimate, read from EXPLAIN
    assert not busqueda_texto._comun("credito", "'credit'", 0.01)  # no statistics yet: the planner decides
    monkeypatch.setattr(busqueda_texto, "_estadisticas", lambda: ({"credit": 0.9}, 0.0, 1000.0, 100.0))
    monkeypatch.setattr(busqueda_texto, "_paginas_estimadas", lambda consulta: 900.0)
    assert busqueda_texto._comun("credito", "'credit'", 0.01) and busqueda_texto._comun("credito impago", None, 0.01)
    assert not busqueda_texto._comun("credito", "'credit'", 1.0)  # he sees everything
    with CaptureQueriesContext(connection) as consultas:
        despues = buscar(abogado, "credito")
    candidatas = [q["sql"] for q in consultas.captured_queries if "WITH c AS" in q["sql"]][0]
    assert "ts_match_vq" in candidatas and " @@ " not in candidatas
    assert [h.pagina_texto_id for h in despues.hits] == [h.pagina_texto_id for h in antes.hits]
    assert (despues.total, despues.facetas) == (antes.total, antes.facetas) and antes.total == 1


def test_una_palabra_comun_del_abogado_se_ordena_exacta_leyendo_solo_el_resto(documentos, usuarios, expediente,
                                                                              pdf, monkeypatch):
    """A lawyer's common word (busqueda_texto._comun): his candidates are read in expediente order,
    and the frequency levels only over the expedientes they did not finish; merged, the order is
    still the ranking's over all his pages, page after page."""
    from django.db import connection

    from expedientes import busqueda_texto

    abogado = usuarios["abogado"]
    expedientes = [expediente] + [expediente_crear(usuario=usuarios["secretaria"], abogado=abogado) for _ in range(2)]
    veces = [[1, 3, 1, 2, 1, 6, 1, 1], [2, 1, 9, 1, 1, 3, 1, 5], [1, 1, 4, 2, 1, 1, 8, 2]]
    for exp, suyas in zip(expedientes, veces):
        version = documentos[1] if exp == expediente else adjunto_crear(
            actuacion=_actuacion_de(exp, usuarios["secretaria"]), titulo="Oficio", flujo=pdf(), nombre="d.pdf",
            usuario=abogado)
        PaginaTexto.objects.bulk_create([
            PaginaTexto(version=version, expediente=exp, numero=n, origen=OrigenTexto.OCR,
                        texto=f"Folio {n}: " + " ".join(f"el embargo número {k} del predio" for k in range(v)))
            for n, v in enumerate(suyas, start=3)])
    with connection.cursor() as cursor:
        cursor.execute("""select id from expedientes_paginatexto
                           where expediente_id = any(%s) and busqueda @@ websearch_to_tsquery('coactivas_es', 'embargo')
                           order by busqueda <=> websearch_to_tsquery('coactivas_es', 'embargo'), id""",
                       [[e.pk for e in expedientes]])
        exacto = [f[0] for f in cursor.fetchall()]
    assert len(exacto) == 24
    monkeypatch.setattr(busqueda_texto, "TOPE_RANGO", 12)
    monkeypatch.setattr(busqueda_texto, "POR_PAGINA", 3)
    monkeypatch.setattr(busqueda_texto, "_estadisticas", lambda: ({}, 0.0, 1000.0, 100.0))
    monkeypatch.setattr(busqueda_texto, "_comun", lambda consulta, lexema, parte: True)
    restos = []
    original = busqueda_texto._ordenar_por_frecuencia
    monkeypatch.setattr(busqueda_texto, "_ordenar_por_frecuencia",
                        lambda *a: restos.append(a[-1]) or original(*a))
    vistos = []
    for pagina in (1, 2, 3, 4):
        resultado = buscar(abogado, "embargo", pagina=pagina)
        assert not resultado.orden_parcial
        vistos += [h.pagina_texto_id for h in resultado.hits]
    assert vistos == exacto[:12]
    assert restos and all(r is not None for r in restos)
