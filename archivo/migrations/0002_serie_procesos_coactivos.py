from django.db import migrations


def sembrar(apps, schema_editor):
    from archivo.clasificacion_inicial import FONDO, SECCION, SERIE

    Fondo = apps.get_model("archivo", "Fondo")
    Seccion = apps.get_model("archivo", "Seccion")
    Serie = apps.get_model("archivo", "Serie")
    ExpedientePage = apps.get_model("expedientes", "ExpedientePage")
    fondo, _ = Fondo.objects.get_or_create(codigo=FONDO["codigo"], defaults=FONDO)
    seccion, _ = Seccion.objects.get_or_create(fondo=fondo, codigo=SECCION["codigo"], defaults=SECCION)
    serie, _ = Serie.objects.get_or_create(codigo=SERIE["codigo"], defaults={**SERIE, "seccion": seccion})
    # every expediente belongs to a serie
    ExpedientePage.objects.filter(serie__isnull=True).update(serie=serie)


class Migration(migrations.Migration):
    dependencies = [
        ("archivo", "0001_inicial"),
        ("expedientes", "0014_archivo_serie_fase"),
    ]

    operations = [migrations.RunPython(sembrar, migrations.RunPython.noop)]
