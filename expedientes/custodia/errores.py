# Refusals that say nothing about the file: the store or the antivirus is down, and a later try
# may pass (background work retries them; a user is told to try again).
TEMPORALES = frozenset({"antivirus_no_disponible", "almacen_no_disponible"})


class ArchivoRechazado(Exception):
    """A file the pipeline refused. `mensaje` is shown to the user as is (Spanish);
    `codigo` is for logs and tests."""

    def __init__(self, codigo: str, mensaje: str):
        super().__init__(mensaje)
        self.codigo = codigo
        self.mensaje = mensaje

    @property
    def temporal(self) -> bool:
        return self.codigo in TEMPORALES
