import sys
import time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from expedientes.models import Entidad
from expedientes.services.medidas import (
    TRABAJO_OFICIOS,
    OficiosInterrumpidos,
    oficios_retencion_parametros,
    oficios_retencion_seleccion,
    oficios_retencion_titulo,
    oficios_retencion_trabajo,
)
from expedientes.tasks import oficios_retencion
from portal.trabajos import trabajo_crear, trabajo_fallar


class Command(BaseCommand):
    help = ("Genera y registra oficios de retención para una selección de expedientes (plan 2026: "
            "actualizar medidas cautelares de los procesos 2009–2025). Cada oficio es un PDF en custodia. "
            "Por omisión deja el trabajo a la cola (con su avance en «Trabajos en segundo plano»); "
            "--esperar lo hace aquí mismo.")

    def add_arguments(self, parser):
        parser.add_argument("--desde", type=int, required=True, help="Año inicial (p. ej. 2009).")
        parser.add_argument("--hasta", type=int, required=True, help="Año final (p. ej. 2025).")
        parser.add_argument("--entidades", default="sb,seps",
                            help="Códigos separados por comas: " + ", ".join(e.value for e in Entidad))
        parser.add_argument("--usuario", required=True, help="Usuario que registra (p. ej. secretaria).")
        parser.add_argument("--firmante", help="Usuario que firma (p. ej. jefe).")
        parser.add_argument("--simular", action="store_true", help="Solo contar, sin generar nada.")
        parser.add_argument("--esperar", action="store_true",
                            help="Generar los oficios en este proceso y esperar a que terminen, en lugar de "
                                 "dejarlos a la cola de trabajos en segundo plano.")

    def handle(self, *args, desde, hasta, entidades, usuario, firmante=None, simular=False, esperar=False,
               **options):
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
        seleccion = oficios_retencion_seleccion(desde=desde, hasta=hasta)
        self.stdout.write(f"{seleccion.count()} expedientes {desde}–{hasta} en ejecución; "
                          f"{len(elegidas)} oficio(s) por expediente.")
        if simular:
            return
        try:
            parametros = oficios_retencion_parametros(desde=desde, hasta=hasta, entidades=elegidas, usuario=registra,
                                                      firmante=firma, fecha=timezone.localdate())
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        titulo = oficios_retencion_titulo(desde=desde, hasta=hasta, entidades=elegidas)
        if not esperar:
            trabajo = trabajo_crear(tipo=TRABAJO_OFICIOS, titulo=titulo, usuario=registra, parametros=parametros,
                                    tarea=oficios_retencion)
            self.stdout.write(self.style.SUCCESS(
                f"Trabajo n.º {trabajo.pk} en la cola: siga su avance en «Trabajos en segundo plano» "
                "(lo ejecuta el proceso de la cola: manage.py procrastinate worker)."))
            return
        trabajo = trabajo_crear(tipo=TRABAJO_OFICIOS, titulo=titulo, usuario=registra, parametros=parametros)
        inicio = time.monotonic()

        def progreso(hecho, total):
            restante = (time.monotonic() - inicio) / hecho * (total - hecho)
            sys.stdout.write(f"\r  {hecho}/{total} expedientes (~{restante:.0f} s restantes)   ")
            sys.stdout.flush()

        try:
            resultado = oficios_retencion_trabajo(trabajo.pk, progreso=progreso)
        except OficiosInterrumpidos as corte:
            trabajo_fallar(trabajo.pk, error=corte.mensaje)
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
