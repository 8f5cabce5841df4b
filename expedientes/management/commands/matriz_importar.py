"""manage.py matriz_importar <archivo.xlsx> [--formato NOMBRE] [--simular] [--usuario U] [--corte dd/mm/aaaa]

Imports a historical matrix (expedientes/services/importacion.py): all or nothing, each problem
by sheet, row and column; the same file twice changes nothing."""

from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from expedientes.custodia import ArchivoRechazado
from expedientes.services.importacion import importacion_resumen, mapeos_de_formato, matriz_importar


class Command(BaseCommand):
    help = "Importa una matriz histórica de procesos coactivos (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("archivo")
        parser.add_argument("--formato", help="nombre de un formato de columnas guardado")
        parser.add_argument("--simular", action="store_true", help="revisa el archivo sin importar nada")
        parser.add_argument("--usuario", help="usuario que importa (jefe o secretaría)")
        parser.add_argument("--corte", help="fecha de corte dd/mm/aaaa (pagos y estados sin fecha); hoy si se omite")

    def handle(self, *args, archivo, formato=None, simular=False, usuario=None, corte=None, **options):
        ruta = Path(archivo)
        if not ruta.is_file():
            raise CommandError(f"No existe el archivo {archivo}.")
        modelo = get_user_model()
        try:
            quien = modelo.objects.get(username=usuario) if usuario else modelo.objects.filter(
                is_superuser=True, is_active=True).order_by("pk").first()
        except modelo.DoesNotExist:
            raise CommandError(f"No existe el usuario «{usuario}».") from None
        if quien is None:
            raise CommandError("Indique --usuario.")
        try:
            fecha_corte = datetime.strptime(corte, "%d/%m/%Y").date() if corte else None
        except ValueError:
            raise CommandError("--corte: escriba la fecha así: 31/12/2014.") from None
        contenido = ruta.read_bytes()
        try:
            mapeos = mapeos_de_formato(formato, contenido) if formato else None
            importacion = matriz_importar(contenido=contenido, nombre_archivo=ruta.name, usuario=quien,
                                          corte=fecha_corte, simular=simular, mapeos=mapeos,
                                          progreso=lambda texto: self.stdout.write(f"  {texto}"))
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        except ArchivoRechazado as rechazo:
            raise CommandError(rechazo.mensaje) from None
        for aviso in importacion.avisos:
            self.stdout.write(f"  aviso  {_lugar(aviso)}{aviso['mensaje']}")
        for problema in importacion.problemas:
            self.stdout.write(f"  ERROR  {_lugar(problema)}{problema['mensaje']}")
        self.stdout.write(f"{importacion_resumen(importacion)[:-1]} (importación N.º {importacion.pk}).")
        if importacion.problemas:
            raise CommandError("No se importó nada: corrija los problemas y vuelva a intentarlo.")


def _lugar(p: dict) -> str:
    partes = [f"hoja «{p['hoja']}»" if p["hoja"] else "", f"fila {p['fila']}" if p["fila"] else "",
              f"columna {p['columna']}" if p["columna"] else ""]
    texto = ", ".join(x for x in partes if x)
    return f"{texto}: " if texto else ""
