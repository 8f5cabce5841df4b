# The full-text search of the documents (issue 12, expedientes/busqueda_texto.py).

import django.contrib.postgres.search
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Spanish stemming after unaccent, so "credito" finds "crédito" (hword/word: the tokens with
# letters outside ASCII; asciiword needs no unaccent). Creating a configuration needs no
# superuser; the unaccent dictionary comes with the extension (migration 0012).
CONFIGURACION = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'coactivas_es') THEN
    CREATE TEXT SEARCH CONFIGURATION coactivas_es (COPY = pg_catalog.spanish);
    ALTER TEXT SEARCH CONFIGURATION coactivas_es
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
  END IF;
END $$;
"""

# RUM (Debian postgresql-15-rum) keeps each word's positions in the index and gives the `<=>`
# rank distance the search orders by (expedientes/busqueda_texto.py `_ordenar`). The extension
# is not "trusted": scripts/devstack.py creates it as postgres in template1; here we only
# create it when this role may (a superuser) and otherwise fall back to GIN, which answers the
# same queries with ts_rank (the search asks which index is there: `_con_rum`).
INDICE = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum')
     AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')
     AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    CREATE EXTENSION rum;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum') THEN
    CREATE INDEX paginatexto_busqueda ON expedientes_paginatexto USING rum (busqueda rum_tsvector_ops);
  ELSE
    CREATE INDEX paginatexto_busqueda ON expedientes_paginatexto USING gin (busqueda);
  END IF;
END $$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('expedientes', '0023_lectura'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(CONFIGURACION, "DROP TEXT SEARCH CONFIGURATION IF EXISTS coactivas_es"),
        migrations.AddField(
            model_name='paginatexto',
            name='busqueda',
            field=models.GeneratedField(db_persist=True, editable=False, expression=django.contrib.postgres.search.SearchVector('texto', config='coactivas_es'), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.RunSQL(INDICE, "DROP INDEX IF EXISTS paginatexto_busqueda"),
        migrations.CreateModel(
            name='BusquedaGuardada',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('nombre', models.CharField(max_length=120, verbose_name='nombre')),
                ('consulta', models.CharField(max_length=500, verbose_name='consulta')),
                ('filtros', models.JSONField(blank=True, default=dict, verbose_name='filtros')),
                ('creada_en', models.DateTimeField(auto_now_add=True, verbose_name='creada el')),
                ('usuario', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='busquedas_guardadas', to=settings.AUTH_USER_MODEL, verbose_name='usuario')),
            ],
            options={
                'verbose_name': 'búsqueda guardada',
                'verbose_name_plural': 'búsquedas guardadas',
                'ordering': ['-creada_en'],
            },
        ),
    ]
