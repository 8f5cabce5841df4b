import sys

from django.core.management.base import BaseCommand

from permisos.custodia import cadena_verificar


class Command(BaseCommand):
    help = ("Recorre el registro de custodia en orden y recalcula cada hash y cada enlace. Sale con 0 si la "
            "cadena está íntegra; con 1 nombrando el primer registro alterado o faltante.")

    def add_arguments(self, parser):
        parser.add_argument("--cada", type=int, default=10_000,
                            help="Informar el avance (en stderr) cada tantos registros.")

    def handle(self, *args, cada=10_000, **options):
        resultado = cadena_verificar(
            cada=max(cada, 1), progreso=lambda n: self.stderr.write(f"… {n} registros verificados"))
        if not resultado.integra:
            self.stderr.write(self.style.ERROR(resultado.mensaje()))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(resultado.mensaje()))
