from django.core.management.base import BaseCommand, CommandError

from expedientes.calendario import DIAS_SEMANA, fecha_formatear
from expedientes.services.calendario import calendario_sembrar


class Command(BaseCommand):
    help = ("Siembra el calendario legal con los feriados nacionales efectivamente descansados "
            "(paquete holidays), sin tocar los días ya registrados. Los días decretados se "
            "añaden a mano en el administrador.")

    def add_arguments(self, parser):
        parser.add_argument("--desde", type=int, required=True, help="Primer año (p. ej. 2024).")
        parser.add_argument("--hasta", type=int, required=True, help="Último año (p. ej. 2027).")
        parser.add_argument(
            "--cuenca", action="store_true",
            help="Incluir el feriado local de la Fundación de Cuenca (12 de abril).",
        )

    def handle(self, *args, desde, hasta, cuenca=False, **options):
        if desde > hasta:
            raise CommandError("--desde debe ser menor o igual que --hasta.")
        resultado = calendario_sembrar(anios=range(desde, hasta + 1), locales=cuenca)
        self.stdout.write(f"Agregados: {len(resultado.agregados)}")
        for dia in resultado.agregados:
            self.stdout.write(f"  {_dia(dia.fecha)} {dia.nombre} [{dia.get_tipo_display()}]")
        self.stdout.write(f"Omitidos: {len(resultado.omitidos)}")
        for fecha, nombre, motivo in resultado.omitidos:
            self.stdout.write(f"  {_dia(fecha)} {nombre}: {motivo}")
        self.stdout.write(self.style.SUCCESS(
            "Revise el calendario y añada los días decretados (menú Calendario)."
        ))


def _dia(fecha) -> str:
    return f"{fecha_formatear(fecha)} {DIAS_SEMANA[fecha.weekday()]:<9}"
