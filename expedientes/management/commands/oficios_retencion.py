import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from expedientes.estados import EJECUCION, Estado
from expedientes.models import Entidad, ExpedientePage
from expedientes.services.medidas import OficiosInterrumpidos, oficios_retencion_masivos


class Command(BaseCommand):
    help = ("Genera y registra oficios de retención para una selección de expedientes (plan 2026: "
            "actualizar medidas cautelares de los procesos 2009–2025). Cada oficio es un PDF en custodia.")

    def add_arguments(self, parser):
        parser.add_argument("--desde", type=int, required=True, help="Año inicial (p. ej. 2009).")
        parser.add_argument("--hasta", type=int, required=True, help="Año final (p. ej. 2025).")
        parser.add_argument("--entidades", default="sb,seps",
                            help="Códigos separados por comas: " + ", ".join(e.value for e in Entidad))
        parser.add_argument("--usuario", required=True, help="Usuario que registra (p. ej. secretaria).")
        parser.add_argument("--firmante", help="Usuario que firma (p. ej. jefe).")
        parser.add_argument("--simular", action="store_true", help="Solo contar, sin generar nada.")

    def handle(self, *args, desde, hasta, entidades, usuario, firmante=None, simular=False, **options):
        usuarios = get_user_model().objects
        try:
            registra = usuarios.get(username=usuario)
            firma = usuarios.get(username=firmante) if firmante else registra
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"Usuario inexistente: {error}") from None
        try:
            elegidas = [Entidad(codigo.strip()) for codigo in entidades.split(",")]
        except ValueError as error:
            raise CommandError(f"Entidad desconocida: {error}") from None
        # Enforcement still running (not suspended, not ended) and no letter already open.
        seleccion = (ExpedientePage.objects.filter(anio__range=(desde, hasta), estado__in=EJECUCION)
                     .exclude(estado=Estado.REMATE).order_by("anio", "secuencial"))
        self.stdout.write(f"{seleccion.count()} expedientes {desde}–{hasta} en ejecución; "
                          f"{len(elegidas)} oficio(s) por expediente.")
        if simular:
            return
        inicio = time.monotonic()

        def progreso(hecho, total):
            restante = (time.monotonic() - inicio) / hecho * (total - hecho)
            sys.stdout.write(f"\r  {hecho}/{total} expedientes (~{restante:.0f} s restantes)   ")
            sys.stdout.flush()

        try:
            resultado = oficios_retencion_masivos(expedientes=seleccion, entidades=elegidas, usuario=registra,
                                                  firmante=firma, fecha=timezone.localdate(), progreso=progreso)
        except OficiosInterrumpidos as corte:
            self.stdout.write("")
            self._resumen(corte.resultado, inicio)
            raise CommandError(
                f"Se detuvo en el expediente {corte.numero}: {corte.mensaje} De ese expediente no quedó "
                "nada a medias. Cuando el servicio vuelva, ejecute de nuevo el mismo comando: continúa "
                "donde quedó y omite los oficios ya emitidos."
            ) from None
        self.stdout.write("")
        self._resumen(resultado, inicio)

    def _resumen(self, resultado, inicio):
        for numero, motivo in resultado["omitidos"]:
            self.stdout.write(f"  omitido {numero}: {motivo}")
        self.stdout.write(self.style.SUCCESS(
            f"{len(resultado['oficios'])} oficios generados en {time.monotonic() - inicio:.1f} s; "
            f"{len(resultado['existentes'])} ya emitidos antes (omitidos); "
            f"{len(resultado['omitidos'])} expedientes omitidos."))
