from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from permisos.acceso import totp_restablecer


class Command(BaseCommand):
    help = ("Borra la aplicación de autenticación registrada de un usuario (teléfono perdido o "
            "cambiado): en su próximo ingreso deberá registrar una nueva.")

    def add_arguments(self, parser):
        parser.add_argument("usuario", help="Nombre de usuario.")

    def handle(self, *args, usuario, **options):
        encontrado = get_user_model().objects.filter(username=usuario).first()
        if encontrado is None:
            raise CommandError(f"No existe el usuario «{usuario}».")
        eliminados = totp_restablecer(usuario=encontrado)
        self.stdout.write(self.style.SUCCESS(
            f"{eliminados} dispositivo(s) eliminado(s) para «{usuario}»; registrará uno nuevo al ingresar."
        ))
