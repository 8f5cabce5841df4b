from django.core.management.base import BaseCommand

from expedientes.services.cuenta import cuentas_faltantes, cuentas_recalcular


class Command(BaseCommand):
    help = ("Recalcula los tramos guardados de la cuenta de cada expediente (los saldos a una fecha que "
            "leen la cartera pendiente, el tablero y el informe de gestión). Los servicios los mantienen "
            "al día; sirve tras una importación masiva, un cambio de las reglas de liquidación "
            "(LIQUIDACION) o un despliegue. Con --faltantes, solo los expedientes que aún no los tienen.")

    def add_arguments(self, parser):
        parser.add_argument("--lote", type=int, default=500, help="Expedientes por transacción (500).")
        parser.add_argument("--faltantes", action="store_true",
                            help="Solo los expedientes con títulos y sin tramos guardados.")

    def handle(self, *args, lote, faltantes, **options):
        total = cuentas_recalcular_con_avance(self.stdout, tamano=lote, faltantes=faltantes)
        self.stdout.write(self.style.SUCCESS(f"Cuentas recalculadas: {total} expedientes."))


def cuentas_recalcular_con_avance(salida, *, tamano: int = 500, faltantes: bool = False) -> int:
    """The recomputation with its progress written to `salida` (the command, the initialisation)."""

    def avance(hechos, total):
        salida.write(f"  {hechos}/{total} expedientes ({100 * hechos // total} %)")

    return cuentas_recalcular(cuentas_faltantes() if faltantes else None, tamano=tamano, progreso=avance)
