from django.core.management.base import BaseCommand
from django.utils import timezone

from expedientes.models import ConvenioPago, EstadoConvenio
from expedientes.services.cuenta import convenio_revisar


class Command(BaseCommand):
    help = ("Revisa los convenios de pago vigentes (para ejecutar a diario): declara incumplidos los "
            "que tienen una cuota vencida e impaga pasados los días de gracia y reanuda la ejecución.")

    def handle(self, *args, **options):
        hoy = timezone.localdate()
        vigentes = ConvenioPago.objects.filter(estado=EstadoConvenio.VIGENTE).select_related("expediente")
        resumen = {EstadoConvenio.VIGENTE: 0, EstadoConvenio.CUMPLIDO: 0, EstadoConvenio.INCUMPLIDO: 0}
        for convenio in vigentes:
            estado = convenio_revisar(convenio=convenio, fecha=hoy)
            resumen[estado] += 1
            if estado != EstadoConvenio.VIGENTE:
                self.stdout.write(f"  {convenio.expediente.numero}: {EstadoConvenio(estado).label.lower()}")
        self.stdout.write(self.style.SUCCESS(
            f"{sum(resumen.values())} convenios revisados al {hoy:%d/%m/%Y}: "
            f"{resumen['vigente']} vigentes, {resumen['cumplido']} cumplidos, {resumen['incumplido']} incumplidos."
        ))
