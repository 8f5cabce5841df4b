class ArchivoRechazado(Exception):
    """A file the pipeline refused. `mensaje` is shown to the user as is (Spanish);
    `codigo` is for logs and tests."""

    def __init__(self, codigo: str, mensaje: str):
        super().__init__(mensaje)
        self.codigo = codigo
        self.mensaje = mensaje
