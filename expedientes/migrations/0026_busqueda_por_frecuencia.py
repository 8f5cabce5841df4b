# The page's words and, for each word on the page 2, 3, 5 or 8 times or more, a marker
# lexeme «palabra n» (expedientes/busqueda_texto.py `_ordenar_por_frecuencia`): with them the
# search finds the best-ranked pages of a word in half the archive without ranking them all.

import importlib

import django.contrib.postgres.search
import django.db.models.expressions
from django.db import migrations, models

INDICE = importlib.import_module("expedientes.migrations.0024_busqueda_texto").INDICE

# A SQL-standard body (RETURN …): parsed when created, so the configuration is found by its
# oid at restore time too, whatever the search_path. A marker holds a space, which no parsed
# word does: no search can match one by accident. Markers have no positions, so they change
# neither the rank of a search nor its snippet.
FUNCION = """
CREATE FUNCTION coactivas_vector(texto text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT v || coalesce((SELECT array_to_tsvector(array_agg(l.lexeme || ' ' || n))
                                FROM unnest(v) AS l, unnest('{2,3,5,8}'::int[]) AS n
                               WHERE cardinality(l.positions) >= n), ''::tsvector)
          FROM to_tsvector('coactivas_es'::regconfig, texto) AS v);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('expedientes', '0025_importacion_en_cola'),
    ]

    operations = [
        migrations.RunSQL(FUNCION, "DROP FUNCTION IF EXISTS coactivas_vector(text)"),
        migrations.RunSQL("DROP INDEX IF EXISTS paginatexto_busqueda", INDICE),
        migrations.RemoveField(model_name='paginatexto', name='busqueda'),
        migrations.AddField(
            model_name='paginatexto',
            name='busqueda',
            field=models.GeneratedField(db_persist=True, editable=False, expression=django.db.models.expressions.Func(models.F('texto'), function='coactivas_vector', output_field=django.contrib.postgres.search.SearchVectorField()), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.RunSQL(INDICE, "DROP INDEX IF EXISTS paginatexto_busqueda"),
    ]
