from django.core.management.base import BaseCommand

from expedientes.services.plazos import plazos_recalcular


class Command(BaseCommand):
    help = ("Recalcula el próximo plazo guardado de cada expediente (el que leen los paneles de "
            "vencimientos y el listado). Lo ejecuta portal_inicializar; sirve también tras cambiar "
            "reglas de cómputo o importar expedientes.")

    def add_arguments(self, parser):
        parser.add_argument("--lote", type=int, default=500, help="Expedientes por transacción (500).")

    def handle(self, *args, lote, **options):
        total = plazos_recalcular_con_avance(self.stdout, tamano=lote)
        self.stdout.write(self.style.SUCCESS(f"Plazos recalculados: {total} expedientes."))


def plazos_recalcular_con_avance(salida, *, tamano: int = 500) -> int:
    """The recomputation with its progress written to `salida` (the command, the initialisation)."""

    def avance(hechos, total):
        salida.write(f"  {hechos}/{total} expedientes ({100 * hechos // total} %)")

    return plazos_recalcular(tamano=tamano, progreso=avance)
