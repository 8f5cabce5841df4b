"""Stops an oversize upload while it streams in, before Django spools gigabytes to disk
(the pattern of Django's upload-handler docs). The pipeline enforces the limit again."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class LimiteUploadHandler(FileUploadHandler):
    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.recibidos = 0

    def receive_data_chunk(self, raw_data, start):
        self.recibidos += len(raw_data)
        if self.recibidos > settings.CUSTODIA["TAMANO_MAXIMO"]:
            # The form then sees no file and says why (request.custodia_excedidos).
            excedidos = getattr(self.request, "custodia_excedidos", set())
            excedidos.add(self.field_name)
            self.request.custodia_excedidos = excedidos
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None
