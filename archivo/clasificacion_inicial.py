"""The classification the portal starts with (the archivists edit it afterwards): the
Ministry's fondo, the Juzgado's sección and its serie «Procesos coactivos», whose TPCD terms
are the unit's proposal until its Comité de Archivo approves others. Shared by the data
migration and the tests, so both seed the same thing."""

FONDO = {"codigo": "MDT", "nombre": "Ministerio del Trabajo"}
SECCION = {"codigo": "MDT-DRC-JC", "nombre": "Dirección Regional de Cuenca — Juzgado de Coactivas"}
SERIE = {
    "codigo": "MDT-DRC-JC-01",
    "nombre": "Procesos coactivos",
    "anios_gestion": 5,
    "anios_central": 10,
    "disposicion_final": "muestreo",
    "base_legal": (
        "Código Orgánico Administrativo, Libro III, Título II (procedimiento coactivo); "
        "Regla Técnica Nacional para la Organización y Mantenimiento de los Archivos Públicos (2019), "
        "Tabla de Plazos de Conservación Documental. Plazos propuestos por la unidad, sujetos a la "
        "aprobación del Comité de Archivo."
    ),
}
