from django.core.management.base import BaseCommand

from expedientes.models import EstadoConvenio
from expedientes.tasks import convenios_revisar_todos


class Command(BaseCommand):
    help = ("Revisa los convenios de pago vigentes: declara incumplidos los que tienen una cuota vencida "
            "e impaga pasados los días de gracia y reanuda la ejecución. La cola lo hace cada día "
            "(expedientes.tasks.convenios_revisar_diario); este comando lo hace ahora.")

    def handle(self, *args, **options):
        resumen = convenios_revisar_todos()
        for numero, estado in resumen["cambios"]:
            self.stdout.write(f"  {numero}: {EstadoConvenio(estado).label.lower()}")
        total = resumen["vigente"] + resumen["cumplido"] + resumen["incumplido"]
        fecha = resumen["fecha"].split("-")
        self.stdout.write(self.style.SUCCESS(
            f"{total} convenios revisados al {fecha[2]}/{fecha[1]}/{fecha[0]}: "
            f"{resumen['vigente']} vigentes, {resumen['cumplido']} cumplidos, {resumen['incumplido']} incumplidos."
        ))
