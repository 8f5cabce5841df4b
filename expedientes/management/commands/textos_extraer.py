import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from expedientes.models import AdjuntoVersion, EstadoTexto
from expedientes.services.texto import textos_no_aplicables_marcar, version_texto_extraer, versiones_por_leer

SEGUIDAS = 3  # passing failures in a row: the store or the engine is away, stop


class Command(BaseCommand):
    help = ("Extrae el texto de los PDF e imágenes ya guardados: el texto propio de los PDF digitales y "
            "el reconocimiento de texto (OCR, español) de los escaneos. Procesa las versiones pendientes "
            "y las que fallaron por una causa pasajera; si se interrumpe, ejecútelo de nuevo con "
            "--reanudar y continúa donde quedó.")

    def add_arguments(self, parser):
        parser.add_argument("--reanudar", action="store_true",
                            help="Incluir también las versiones que quedaron «en proceso» por una ejecución "
                                 "interrumpida.")
        parser.add_argument("--limite", type=int, default=None,
                            help="Procesar como máximo N versiones en esta ejecución.")

    def handle(self, *args, reanudar=False, limite=None, **options):
        if limite is not None and limite < 1:
            raise CommandError("--limite debe ser un número positivo.")
        omitidas = textos_no_aplicables_marcar()
        if omitidas:
            self.stdout.write(f"{omitidas} versiones no son PDF ni imagen: marcadas «no corresponde».")
        ids = list(versiones_por_leer(reanudar=reanudar).values_list("pk", flat=True)[:limite])
        total = len(ids)
        self.stdout.write(f"{total} versiones por leer" + (" (reanudando)" if reanudar else "") + ".")
        inicio, seguidas, paginas = time.monotonic(), 0, 0
        try:
            for hechas, version_id in enumerate(ids, start=1):
                try:
                    version_texto_extraer(version_id=version_id)
                    seguidas = 0
                except Exception as exc:  # recorded on the version (Falla temporal): tried again next run
                    seguidas += 1
                    self.stderr.write(f"\n  versión {version_id}: {exc.__class__.__name__}: {exc}")
                    if seguidas >= SEGUIDAS:
                        raise CommandError(
                            f"{SEGUIDAS} fallas seguidas (¿almacén o motor de OCR no disponibles?). "
                            "Lo ya leído quedó guardado; cuando el servicio vuelva, ejecute de nuevo "
                            "el comando con --reanudar.") from exc
                paginas += AdjuntoVersion.objects.filter(pk=version_id).values_list("paginas", flat=True).first() or 0
                transcurrido = time.monotonic() - inicio
                restante = transcurrido / hechas * (total - hechas)
                self.stdout.write(f"\r  {hechas}/{total} versiones, {paginas} páginas "
                                  f"({paginas / transcurrido * 60:.1f} páginas/min, ~{restante / 60:.0f} min "
                                  "restantes)   ", ending="")
                self.stdout.flush()
        except KeyboardInterrupt:
            self.stdout.write("")
            raise CommandError("Interrumpido. Lo ya leído quedó guardado; ejecute de nuevo el comando con "
                               "--reanudar para continuar.") from None
        self.stdout.write("")
        resumen = dict(AdjuntoVersion.objects.filter(pk__in=ids).values("texto_estado")
                       .annotate(n=Count("pk")).values_list("texto_estado", "n"))
        self.stdout.write(self.style.SUCCESS(
            "Terminado: " + ", ".join(f"{EstadoTexto(e).label}: {n}" for e, n in sorted(resumen.items()))
            if resumen else "Nada por leer."))
