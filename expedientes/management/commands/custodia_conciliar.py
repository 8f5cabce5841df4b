from datetime import timedelta

from django.core.management.base import BaseCommand

from expedientes.custodia.conciliacion import custodia_conciliar


class Command(BaseCommand):
    help = ("Compara el almacén S3 con la base de datos: versiones huérfanas (sin registro, p. ej. "
            "tras una caída a mitad de una subida) y registros cuyo objeto falta.")

    def add_arguments(self, parser):
        parser.add_argument("--eliminar", action="store_true", help="Retirar las versiones huérfanas.")
        parser.add_argument("--minutos", type=int, default=60,
                            help="Ignorar huérfanas sin reserva más recientes que esto (objetos "
                                 "anteriores a la reserva por transacción).")

    def handle(self, *args, eliminar=False, minutos=60, **options):
        informe = custodia_conciliar(gracia=timedelta(minutes=minutos), eliminar=eliminar)
        self.stdout.write(f"Versiones en el almacén: {informe.revisadas}")
        self.stdout.write(f"Huérfanas (sin registro): {len(informe.huerfanas)}"
                          + (f", retiradas: {informe.eliminadas}" if eliminar else ""))
        for objeto in informe.huerfanas[:50]:
            self.stdout.write(f"  {objeto.clave} {objeto.version_s3}")
        if informe.retenidas:
            self.stdout.write(f"Huérfanas que el almacén no deja retirar (retención o bloqueo legal): "
                              f"{len(informe.retenidas)}")
        self.stdout.write(f"En curso (su transacción sigue abierta, no se tocan): {informe.en_curso}")
        if informe.recientes:
            self.stdout.write(f"Recientes sin reserva (menos de {minutos} min, no evaluadas): "
                              f"{informe.recientes}")
        if informe.faltantes:
            self.stderr.write(self.style.ERROR(
                f"Registros sin objeto en el almacén: {len(informe.faltantes)}"))
            for uuid in informe.faltantes[:50]:
                self.stderr.write(f"  versión {uuid}")
        else:
            self.stdout.write(self.style.SUCCESS("Todos los registros tienen su objeto."))
