from django.core.management.base import BaseCommand

from expedientes.models import AdjuntoVersion
from expedientes.models.adjunto import EstadoFirma
from expedientes.services.firmas import TIPOS_PDF, version_firmas_verificar


class Command(BaseCommand):
    help = ("Verifica las firmas electrónicas de los PDF guardados que aún no se han verificado "
            "(o todos con --todas). Se puede interrumpir y volver a ejecutar: sigue con los pendientes.")

    def add_arguments(self, parser):
        parser.add_argument("--todas", action="store_true", help="Volver a verificar también las ya verificadas.")
        parser.add_argument("--limite", type=int, default=0, help="Verificar como máximo N versiones.")

    def handle(self, *args, todas=False, limite=0, **options):
        versiones = AdjuntoVersion.objects.filter(tipo_mime__in=TIPOS_PDF, destruida_en__isnull=True)
        if not todas:
            versiones = versiones.filter(firma_estado=EstadoFirma.PENDIENTE)
        ids = list(versiones.order_by("pk").values_list("pk", flat=True))
        if limite:
            ids = ids[:limite]
        # one at a time, each committed: an interruption loses at most the one in progress
        for hechas, version_id in enumerate(ids, start=1):
            version_firmas_verificar(version_id=version_id)
            if hechas % 50 == 0 or hechas == len(ids):
                self.stdout.write(f"  {hechas}/{len(ids)} verificadas")
        resumen = {}
        for estado in AdjuntoVersion.objects.filter(pk__in=ids).values_list("firma_estado", flat=True):
            resumen[estado] = resumen.get(estado, 0) + 1
        detalle = ", ".join(f"{n} {EstadoFirma(e).label.lower()}" for e, n in sorted(resumen.items()))
        self.stdout.write(self.style.SUCCESS(f"{len(ids)} versiones verificadas" + (f": {detalle}." if detalle else ".")))
