from django.core.management.base import BaseCommand

from expedientes.custodia import almacen
from portal.inicializacion import portal_inicializar


class Command(BaseCommand):
    help = "Crea (si faltan) la raíz del sitio, el Juzgado de Coactivas, los roles y el bucket de custodia."

    def add_arguments(self, parser):
        parser.add_argument("--sin-bucket", action="store_true", help="No tocar el almacén S3.")

    def handle(self, *args, sin_bucket=False, **options):
        juzgado = portal_inicializar(preparar_bucket=not sin_bucket, salida=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Portal listo: «{juzgado.title}» (página {juzgado.pk})."))
        if not sin_bucket:
            self.stdout.write(f"Bucket de custodia «{almacen.bucket()}»: versionado {almacen.bucket_estado()}.")
