import sys
import time

from django.core.management.base import BaseCommand

from portal.demo import demo_cargar


class Command(BaseCommand):
    help = ("Carga datos de demostración: usuarios de cada rol, una tabla de tasas de interés (no "
            "oficial) y los 135 expedientes de 2025 llevados por el procedimiento con los mismos "
            "servicios que las pantallas (autos, citaciones, medidas, pagos, convenios, ilocalizables, "
            "insolvencias), con sus documentos por el circuito de custodia. Termina con un resumen "
            "calculado de los registros: 74 expedientes con recaudación por USD 140.714,68. Además, los "
            "expedientes del año en curso hasta hoy y el seguimiento de los de 2025 en ese año, para que "
            "los plazos muestren una unidad en marcha (las cifras de 2025 no cambian).")

    def add_arguments(self, parser):
        parser.add_argument("--cantidad", type=int, help="Menos expedientes (mismas proporciones).")
        parser.add_argument("--clave", help="Una misma clave para todos los usuarios nuevos.")
        parser.add_argument("--solo-2025", action="store_true",
                            help="Sin el año en curso: solo los expedientes de 2025, como quedaron al 31/12/2025.")

    def handle(self, *args, cantidad=None, clave=None, solo_2025=False, **options):
        inicio = time.monotonic()

        def progreso(hecho, total):
            if hecho == total or hecho % 5 == 0:
                transcurrido = time.monotonic() - inicio
                restante = transcurrido / hecho * (total - hecho)
                sys.stdout.write(f"\r  expedientes {hecho}/{total}  (~{restante:.0f} s restantes)   ")
                sys.stdout.flush()
                if hecho == total:
                    sys.stdout.write("\n")

        creados = demo_cargar(total=cantidad, clave_fija=clave, salida=self.stdout.write,
                              progreso=progreso, actual=not solo_2025)
        if creados:
            self.stdout.write(self.style.SUCCESS(
                f"{creados} expedientes de demostración en {time.monotonic() - inicio:.1f} s."
            ))
