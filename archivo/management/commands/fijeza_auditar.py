from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from archivo.models import EstadoAuditoria
from archivo.services.fijeza import fijeza_auditar
from expedientes.formato import numero

MB = 1024 * 1024


class Command(BaseCommand):
    help = ("Auditoría de integridad del almacén: vuelve a leer cada versión guardada (adjuntos de los "
            "expedientes y documentos del archivo) y compara su SHA-256 y su tamaño con el registro. "
            "Continúa la auditoría en curso, si la hay. Sale con 0 si todo coincide; con 1 si hay "
            "versiones alteradas, faltantes o ilegibles; con 3 si no pudo avanzar.")

    def add_arguments(self, parser):
        parser.add_argument("--lote", type=int, default=None,
                            help="Revisar como máximo tantas versiones y detenerse (la próxima ejecución "
                                 "continúa). 0: todo lo que falta. Por omisión, ARCHIVO_FIJEZA_LOTE.")
        parser.add_argument("--nueva", action="store_true",
                            help="Empezar una auditoría nueva aunque haya una en curso.")
        parser.add_argument("--cada", type=int, default=100,
                            help="Informar el avance (en stderr) cada tantas versiones.")

    def _avance(self, cada):
        def informar(avance):
            if avance.revisadas % cada:
                return
            mb, segundos = avance.bytes_leidos / MB, max(avance.segundos, 0.001)
            self.stderr.write(f"… {numero(avance.revisadas, 0)}/{numero(avance.total, 0)} versiones revisadas · "
                              f"{numero(mb, 1)} MB leídos · {numero(mb / segundos, 1)} MB/s · "
                              f"{numero(avance.en_esta_ejecucion / segundos, 1)} versiones/s")
        return informar

    def handle(self, *args, lote=None, nueva=False, cada=100, **options):
        try:
            auditoria = fijeza_auditar(lote=lote, nueva=nueva, progreso=self._avance(max(cada, 1)))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=3) from error
        estado = ("completa" if auditoria.estado == EstadoAuditoria.COMPLETA
                  else f"en curso: faltan {numero(auditoria.total - auditoria.revisadas, 0)} versiones")
        self.stdout.write(
            f"Auditoría de integridad n.º {auditoria.pk} ({estado}): {numero(auditoria.revisadas, 0)} de "
            f"{numero(auditoria.total, 0)} versiones revisadas, {numero(auditoria.bytes_leidos / MB, 1)} MB; "
            f"correctas {auditoria.correctas}, alteradas {auditoria.alteradas}, faltantes {auditoria.faltantes}, "
            f"errores de lectura {auditoria.errores}.")
        for hallazgo in auditoria.hallazgos.order_by("pk")[:50]:
            self.stderr.write(f"  {hallazgo.get_tipo_display()}: {hallazgo.registro} "
                              f"({hallazgo.clave} {hallazgo.version_s3}) {hallazgo.detalle}")
        if auditoria.alteradas or auditoria.faltantes or auditoria.errores:
            # a damaged needle may come back as a read error (SeaweedFS checks its CRC): alert too
            raise CommandError(f"Integridad comprometida en la auditoría n.º {auditoria.pk}: "
                               f"{auditoria.alteradas} versiones alteradas, {auditoria.faltantes} faltantes y "
                               f"{auditoria.errores} ilegibles.", returncode=1)
        self.stdout.write(self.style.SUCCESS("Todas las versiones revisadas coinciden con su registro."))
