import sys
import time

from django.core.management.base import BaseCommand

from portal.demo import demo_cargar


class Command(BaseCommand):
    help = ("Carga datos de demostración: usuarios de cada rol y los 135 expedientes de 2025 "
            "con sus PDF, por el mismo circuito de custodia que cualquier archivo.")

    def add_arguments(self, parser):
        parser.add_argument("--cantidad", type=int, help="Menos expedientes (mismas proporciones).")
        parser.add_argument("--clave", help="Una misma clave para todos los usuarios nuevos.")

    def handle(self, *args, cantidad=None, clave=None, **options):
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
                              progreso=progreso)
        if creados:
            self.stdout.write(self.style.SUCCESS(
                f"{creados} expedientes de demostración en {time.monotonic() - inicio:.1f} s."
            ))
