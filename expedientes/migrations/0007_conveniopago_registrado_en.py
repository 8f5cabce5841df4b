from django.db import migrations, models


class Migration(migrations.Migration):
    """When a payment plan was recorded (expedientes/convenios.py tells a payment of the plan's
    own day recorded before it, already in its total, from one recorded after it). Plans
    recorded before this migration keep it empty and are read by date."""

    dependencies = [
        ('expedientes', '0006_registro_propio'),
    ]

    operations = [
        migrations.AddField(
            model_name='conveniopago',
            name='registrado_en',
            field=models.DateTimeField(auto_now_add=True, null=True, verbose_name='registrado en'),
        ),
    ]
