# The planner's statistics of the page's words reach the rarer ones, frequency markers
# included (migration 0026): with the default target (100) ANALYZE keeps the 1,000 most
# common lexemes and guesses 0.5 % of the table for any other, so it could not tell a marker
# on 666 of 1,000,000 pages (read them and filter by the lawyer's expedientes: 4 ms) from one
# on 12,000 (intersect with his pages' index first: 9 ms), and chose the slower plan for the
# first (measured: 8 ms). At 1,000, ANALYZE reads 300,000 rows (7 s at a million pages).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('expedientes', '0026_busqueda_por_frecuencia'),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE expedientes_paginatexto ALTER COLUMN busqueda SET STATISTICS 1000",
            "ALTER TABLE expedientes_paginatexto ALTER COLUMN busqueda SET STATISTICS -1"),
    ]
