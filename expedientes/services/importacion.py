"""Importing a historical matrix: read (expedientes/importacion/lectura.py), validate every row,
and then either nothing (a dry run, or a file with problems) or everything, in one transaction.

All or nothing, on purpose: a real import of a file with any problem imports no row (the
unit corrects the workbook, or the column mapping, and imports it again); there is no
«skip the bad rows», so a matrix is never half in the portal. Only a real import that
creates something keeps the workbook, through the custody pipeline, as a DocumentoUnidad
(tipo MATRIZ_IMPORTADA): the store put happens before any row is locked, the rows are
written in the pipeline's `registrar`.

Idempotent: each imported process number is a FilaImportada with the fingerprint of its row;
the same row again is «sin cambios», the same number with other data is a problem, and a
number already in the portal that no matrix brought is a problem too. The same file twice
changes nothing and the second run says «sin cambios»."""

import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from expedientes.custodia import ArchivoRechazado, custodiar
from expedientes.estados import Estado
from expedientes.formato import fecha as fecha_formatear, usd
from expedientes.importacion import lectura
from expedientes.importacion.lectura import Problema, columna_letra
from expedientes.models import (
    Coactivado, DocumentoUnidad, ExpedientePage, FilaImportada, FormatoMatriz, ImportacionMatriz, LibroPendiente,
    Pago, TipoDocumentoUnidad,
)
from permisos.custodia import Accion, registro_anotar

from .expedientes import PATRON_NUMERO, _numero_legado, numero_formatear
from .masivo import FilaExpediente, PagoMasivo, expedientes_insertar

PERMISO = "expedientes.importar_matriz"
TAMANO_MAXIMO = 20 * 1024 * 1024
TRABAJO_IMPORTACION = "importacion_matriz"
_NUMERO_CORTO = re.compile(r"^(\d{1,6})\s*[-/]\s*(\d{4})$")  # «45-2014», «0045/2014»


def puede_importar(usuario) -> bool:
    return bool(usuario and usuario.is_active and usuario.has_perm(PERMISO))


@dataclass
class FilaLeida:
    hoja: str
    fila: int
    datos: dict
    huella: str


@dataclass
class Analisis:
    """What a workbook would do: the rows to create, those already imported, every problem."""

    libro: lectura.Libro
    filas: list[FilaLeida] = field(default_factory=list)
    sin_cambios: int = 0
    problemas: list[Problema] = field(default_factory=list)
    avisos: list[Problema] = field(default_factory=list)

    @property
    def leidas(self) -> int:
        return sum(len(h.filas) for h in self.libro.hojas)


def _numero_leer(valor) -> str:
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)
    numero = " ".join(str(valor if valor is not None else "").split()).upper().replace(" ", "")
    if m := _NUMERO_CORTO.match(numero):
        return numero_formatear(int(m[2]), int(m[1]))
    if not PATRON_NUMERO.match(numero):
        try:
            _numero_legado(numero)
        except ValidationError as error:
            raise ValidationError(error.message_dict["numero"][0]) from None
    return numero


def _usuarios_por_nombre() -> dict[str, int]:
    nombres = {}
    for pk, usuario, nombre, apellido in get_user_model().objects.filter(is_active=True).values_list(
            "pk", "username", "first_name", "last_name"):
        nombres[lectura.normalizar(usuario)] = pk
        nombres[lectura.normalizar(f"{nombre} {apellido}")] = pk
    return nombres


def _fila_leer(hoja: lectura.Hoja, fila: int, valores: dict, corte: date, abogados, problemas, avisos):
    """The row's data, or None after adding its problems."""
    datos, errores = {}, []

    def celda(campo):
        col = hoja.columna(campo)
        return col, (valores.get(col) if col else None)

    lectores = {"numero": _numero_leer, "identificacion": lectura.identificacion_leer,
                "provincia": lectura.provincia_leer, "fecha": lectura.fecha_leer, "monto": lectura.monto_leer,
                "recaudado": lectura.monto_leer, "fecha_pago": lectura.fecha_leer,
                "estado": lectura.estado_leer, "fecha_estado": lectura.fecha_leer}
    for campo, (etiqueta, requerido) in lectura.CAMPOS.items():
        col, valor = celda(campo)
        if col is None:
            continue
        if valor in (None, ""):
            if requerido:
                errores.append(Problema(hoja.nombre, fila, columna_letra(col), f"Falta {etiqueta}."))
            continue
        try:
            leido = lectores[campo](valor) if campo in lectores else " ".join(str(valor).split())
        except ValidationError as error:
            errores.append(Problema(hoja.nombre, fila, columna_letra(col), " ".join(error.messages)))
            continue
        datos[campo] = leido
    if "identificacion" in datos:
        identificacion = datos["identificacion"]
        datos["identificacion"] = identificacion.numero
        if identificacion.advertencia:
            avisos.append(Problema(hoja.nombre, fila, columna_letra(hoja.columna("identificacion")),
                                   f"{identificacion.numero}: {identificacion.advertencia}"))
    if datos.get("recaudado") is not None and "monto" in datos:
        col = columna_letra(hoja.columna("recaudado"))
        if datos["recaudado"] > datos["monto"]:
            errores.append(Problema(hoja.nombre, fila, col, f"El valor recaudado ({usd(datos['recaudado'])}) supera "
                                                            f"el monto del título ({usd(datos['monto'])})."))
        if datos["recaudado"] == 0:
            datos.pop("recaudado")
    for campo in ("fecha_pago", "fecha_estado"):
        efectiva = datos.get(campo, corte)
        if "fecha" in datos and efectiva < datos["fecha"]:
            errores.append(Problema(hoja.nombre, fila, columna_letra(hoja.columna(campo)) if campo in datos else "",
                                    f"La {lectura.CAMPOS[campo][0]} ({fecha_formatear(efectiva)}) es anterior a la "
                                    f"fecha de recepción ({fecha_formatear(datos['fecha'])})."))
    for campo in ("fecha", "fecha_pago", "fecha_estado"):
        if campo in datos and datos[campo] > timezone.localdate():
            errores.append(Problema(hoja.nombre, fila, columna_letra(hoja.columna(campo)),
                                    f"La fecha {fecha_formatear(datos[campo])} está en el futuro."))
    if datos.get("abogado"):
        datos["abogado_id"] = abogados.get(lectura.normalizar(datos["abogado"]))
        if datos["abogado_id"] is None:
            avisos.append(Problema(hoja.nombre, fila, columna_letra(hoja.columna("abogado")),
                                   f"No hay un usuario «{datos['abogado']}»: el expediente queda sin abogado."))
    problemas += errores
    return None if errores else datos


def _huella(datos: dict) -> str:
    claves = ("numero", "identificacion", "nombre", "provincia", "fecha", "monto", "recaudado", "fecha_pago",
              "recibo", "estado", "fecha_estado", "orden_cobro")
    return hashlib.sha256(json.dumps({k: str(datos.get(k, "")) for k in claves}, sort_keys=True).encode()).hexdigest()


def matriz_analizar(contenido: bytes, *, corte: date, mapeos: dict | None = None) -> Analisis:
    """Read and validate the whole workbook against the database; writes nothing.
    `mapeos`: {firma: {campo: cabecera}} (the user's choice); saved layouts (FormatoMatriz) otherwise."""
    guardados = {f.firma: f.mapeo for f in FormatoMatriz.objects.all()}
    libro = lectura.libro_leer(io.BytesIO(contenido), mapeos=guardados | (mapeos or {}))
    analisis = Analisis(libro=libro, problemas=list(libro.problemas), avisos=list(libro.avisos))
    abogados = _usuarios_por_nombre()
    vistos: dict[str, tuple[str, int]] = {}
    recibos: dict[str, str] = {}
    for hoja in libro.hojas:
        for fila, valores in hoja.filas:
            datos = _fila_leer(hoja, fila, valores, corte, abogados, analisis.problemas, analisis.avisos)
            if datos is None:
                continue
            numero = datos["numero"]
            if numero in vistos:
                analisis.problemas.append(Problema(
                    hoja.nombre, fila, columna_letra(hoja.columna("numero")),
                    f"El número de proceso {numero} está repetido (ya en la hoja «{vistos[numero][0]}», "
                    f"fila {vistos[numero][1]})."))
                continue
            vistos[numero] = (hoja.nombre, fila)
            if datos.get("recaudado"):
                datos["recibo"] = datos.get("recibo") or f"MH-{numero}"  # deterministic: the process number
                if datos["recibo"] in recibos:
                    analisis.problemas.append(Problema(hoja.nombre, fila, columna_letra(hoja.columna("recibo")),
                                                       f"El comprobante {datos['recibo']} se repite (proceso "
                                                       f"{recibos[datos['recibo']]})."))
                recibos[datos["recibo"]] = numero
            analisis.filas.append(FilaLeida(hoja.nombre, fila, datos, _huella(datos)))
    # against the database, in three queries
    numeros = [f.datos["numero"] for f in analisis.filas]
    importadas = dict(FilaImportada.objects.filter(numero__in=numeros).values_list("numero", "huella"))
    existentes = set(ExpedientePage.objects.filter(numero__in=numeros).values_list("numero", flat=True))
    ocupados = set(Pago.objects.filter(recibo__in=list(recibos), anulado_en__isnull=True)
                   .values_list("recibo", flat=True))
    nuevas = []
    for f in analisis.filas:
        numero = f.datos["numero"]
        col = lambda campo: columna_letra(next(h for h in libro.hojas if h.nombre == f.hoja).columna(campo))  # noqa: E731
        if numero in importadas:
            if importadas[numero] == f.huella:
                analisis.sin_cambios += 1
            else:
                analisis.problemas.append(Problema(f.hoja, f.fila, col("numero"),
                                                   f"El proceso {numero} ya fue importado con otros datos: "
                                                   "corríjalo en el portal, no con una nueva importación."))
        elif numero in existentes:
            analisis.problemas.append(Problema(f.hoja, f.fila, col("numero"),
                                               f"Ya existe el expediente {numero} en el portal."))
        elif f.datos.get("recibo") in ocupados and f.datos.get("recaudado"):
            analisis.problemas.append(Problema(f.hoja, f.fila, col("recibo"),
                                               f"El comprobante {f.datos['recibo']} ya está registrado en otro pago."))
        else:
            nuevas.append(f)
    analisis.filas = nuevas
    return analisis


def _filas_masivas(filas: list[FilaLeida], *, corte: date, nombre_archivo: str, usuario) -> tuple[list, int]:
    """Register the new debtors (one insert) and build the bulk path's rows."""
    identificaciones = {f.datos["identificacion"]: f.datos["nombre"] for f in reversed(filas)}
    existentes = dict(Coactivado.objects.filter(identificacion__in=identificaciones)
                      .values_list("identificacion", "pk"))
    nuevos = []
    for identificacion, nombre in identificaciones.items():
        if identificacion not in existentes:
            resultado = lectura.identificacion_validar(identificacion)
            nuevos.append(Coactivado(identificacion=resultado.numero, tipo_identificacion=resultado.tipo,
                                     advertencia=resultado.advertencia, nombre=" ".join(nombre.split()),
                                     creado_por=usuario))
    for coactivado in Coactivado.objects.bulk_create(nuevos):
        existentes[coactivado.identificacion] = coactivado.pk
    motivo = f"Importado de la matriz histórica «{nombre_archivo}»"
    masivas = []
    for f in filas:
        d = f.datos
        anio, secuencial = _numero_legado(d["numero"])
        estado = d.get("estado", Estado.INICIADO)
        pagos = [PagoMasivo(fecha=d.get("fecha_pago", corte), monto=d["recaudado"], recibo=d["recibo"])] \
            if d.get("recaudado") else []
        masivas.append(FilaExpediente(
            numero=d["numero"], anio=anio, secuencial=secuencial, coactivado_id=existentes[d["identificacion"]],
            provincia=d["provincia"], fecha_recepcion=d["fecha"], monto_titulo=d["monto"], estado=estado,
            abogado_id=d.get("abogado_id"), orden_cobro_numero=d.get("orden_cobro", "")[:60],
            transicion=(d.get("fecha_estado", corte), f"{motivo} (hoja «{f.hoja}», fila {f.fila}).")
            if estado != Estado.INICIADO else None,
            pagos=pagos))
    return masivas, len(nuevos)


def matriz_importar(*, contenido: bytes, nombre_archivo: str, usuario, corte: date | None = None,
                    simular: bool = False, mapeos: dict | None = None, progreso=None,
                    libro: LibroPendiente | None = None, trabajo_id: int | None = None) -> ImportacionMatriz:
    """Analyse the workbook and, unless `simular` or a problem was found, import it whole.
    Always returns the recorded ImportacionMatriz (its problems, counts and state).
    `libro`: the pending workbook these bytes came from (a dry run keeps pointing at it; a real
    import deletes it); `trabajo_id`: the queue's job running this, recorded with the result in
    the same transaction (a retried job finds it: matriz_importar_trabajo)."""
    if not puede_importar(usuario):
        raise PermissionDenied("No tiene permiso para importar matrices históricas.")
    avisar = progreso or (lambda texto: None)
    corte = corte or timezone.localdate()
    sha256 = hashlib.sha256(contenido).hexdigest()
    analisis = matriz_analizar(contenido, corte=corte, mapeos=mapeos)
    avisar(f"{analisis.leidas} filas leídas en {len(analisis.libro.hojas)} hoja(s); "
           f"{len(analisis.problemas)} problema(s), {analisis.sin_cambios} ya importada(s)")
    registro = dict(
        nombre_archivo=nombre_archivo, sha256=sha256, corte=corte, usuario=usuario,
        modo=ImportacionMatriz.Modo.SIMULACION if simular else ImportacionMatriz.Modo.REAL,
        filas_leidas=analisis.leidas, sin_cambios=analisis.sin_cambios,
        problemas=[p.a_dict() for p in analisis.problemas], avisos=[a.a_dict() for a in analisis.avisos],
        mapeo={h.nombre: {"firma": h.firma, "fila_cabecera": h.fila_cabecera, "cabeceras": list(h.cabeceras.values()),
                          "mapeo": h.mapeo} for h in analisis.libro.hojas},
        formato=FormatoMatriz.objects.filter(firma__in=[h.firma for h in analisis.libro.hojas]).first(),
        trabajo_id=trabajo_id, libro=libro if simular else None,
    )
    R = ImportacionMatriz.Resultado
    if analisis.problemas:
        return ImportacionMatriz.objects.create(estado=R.CON_PROBLEMAS, **registro)
    if not analisis.filas:
        return ImportacionMatriz.objects.create(estado=R.SIN_CAMBIOS, **registro)
    if simular:
        return ImportacionMatriz.objects.create(estado=R.VALIDA, expedientes_creados=len(analisis.filas),
                                                pagos_creados=sum(1 for f in analisis.filas if f.datos.get("recaudado")),
                                                **registro)

    def registrar(custodiado) -> ImportacionMatriz:
        with transaction.atomic():
            documento = DocumentoUnidad.objects.create(
                tipo=TipoDocumentoUnidad.MATRIZ_IMPORTADA, titulo=f"Matriz histórica «{nombre_archivo}»",
                creado_por=usuario, **custodiado.campos())
            importacion = ImportacionMatriz.objects.create(estado=R.IMPORTADA, documento=documento, **registro)
            masivas, coactivados = _filas_masivas(analisis.filas, corte=corte, nombre_archivo=nombre_archivo,
                                                  usuario=usuario)
            avisar(f"{coactivados} coactivado(s) nuevo(s)")
            ids = expedientes_insertar(masivas, usuario=usuario, progreso=avisar)
            FilaImportada.objects.bulk_create([
                FilaImportada(numero=f.datos["numero"], huella=f.huella, expediente_id=pk, importacion=importacion,
                              hoja=f.hoja[:120], fila=f.fila) for f, pk in zip(analisis.filas, ids)])
            importacion.expedientes_creados = len(ids)
            importacion.coactivados_creados = coactivados
            importacion.pagos_creados = sum(len(m.pagos) for m in masivas)
            importacion.save(update_fields=["expedientes_creados", "coactivados_creados", "pagos_creados"])
            if libro is not None:  # in custody now: the pending copy goes
                LibroPendiente.objects.filter(pk=libro.pk).delete()
            # last: the custody log's append lock lasts until this transaction ends
            registro_anotar(accion=Accion.IMPORTACION, usuario=usuario, objeto=f"Matriz «{nombre_archivo}»",
                            sha256=documento.sha256,
                            datos={"importacion": importacion.pk, "expedientes": len(ids),
                                   "coactivados": coactivados, "pagos": importacion.pagos_creados,
                                   "sin_cambios": analisis.sin_cambios, "corte": corte})
            return importacion

    try:
        return custodiar(flujo=io.BytesIO(contenido), nombre=nombre_archivo, registrar=registrar)
    except IntegrityError:
        # another import (or an opening) took one of these numbers or receipts meanwhile: nothing was kept
        raise ValidationError("Otra importación registró alguno de estos procesos al mismo tiempo. No se importó "
                              "nada: vuelva a revisar el archivo.") from None


def libro_pendiente_guardar(*, contenido: bytes, nombre_archivo: str, usuario) -> LibroPendiente:
    """Keep an uploaded workbook for the queue's workers (the same file twice by the same user is
    one row). Workbooks left unused for LibroPendiente.DIAS_PENDIENTE days are deleted here."""
    if not puede_importar(usuario):
        raise PermissionDenied("No tiene permiso para importar matrices históricas.")
    if not contenido:
        raise ValidationError("El archivo está vacío.")
    if len(contenido) > TAMANO_MAXIMO:
        raise ValidationError(f"El archivo supera {TAMANO_MAXIMO // 2**20} MB: divídalo por años.")
    LibroPendiente.objects.filter(
        creado_en__lt=timezone.now() - timedelta(days=LibroPendiente.DIAS_PENDIENTE)).delete()
    libro, _ = LibroPendiente.objects.update_or_create(
        usuario=usuario, sha256=hashlib.sha256(contenido).hexdigest(),
        defaults={"contenido": contenido, "nombre_archivo": nombre_archivo[:255]})
    return libro


def matriz_importar_pedir(*, libro: LibroPendiente, usuario, corte: date | None, simular: bool,
                          mapeos: dict | None = None):
    """Queue the dry run or the import of a pending workbook: a portal.Trabajo whose page shows
    its progress and then links to the result (expedientes.tasks.matriz_importar)."""
    from expedientes.tasks import matriz_importar as tarea
    from portal.trabajos import trabajo_crear

    if not puede_importar(usuario) or libro.usuario_id != usuario.pk:
        raise PermissionDenied("No tiene permiso para importar matrices históricas.")
    accion = "Revisión" if simular else "Importación"
    return trabajo_crear(
        tipo=TRABAJO_IMPORTACION, usuario=usuario, titulo=f"{accion} de la matriz «{libro.nombre_archivo}»",
        parametros={"libro_id": libro.pk, "corte": corte.isoformat() if corte else None, "simular": simular,
                    "mapeos": mapeos or {}},
        tarea=tarea)


def matriz_importar_trabajo(trabajo_id: int, *, progreso=None) -> ImportacionMatriz | None:
    """What the queue's task runs. Safe to run twice: a job whose import is recorded (the same
    transaction as the rows) only closes its record. A workbook that cannot be imported ends the
    job as failed with the reason (no retry can change it); an unavailable store or antivirus
    raises, and the queue tries again."""
    from portal.models import Trabajo
    from portal.trabajos import trabajo_avanzar, trabajo_empezar, trabajo_fallar, trabajo_terminar

    trabajo = Trabajo.objects.select_related("creado_por").get(pk=trabajo_id)
    p = trabajo.parametros
    hecha = ImportacionMatriz.objects.filter(trabajo_id=trabajo_id).first()
    if hecha is None:
        libro = LibroPendiente.objects.filter(pk=p["libro_id"]).first()
        if libro is None:
            trabajo_fallar(trabajo_id, error="El archivo ya no está disponible (se importó o pasó más de "
                                             f"{LibroPendiente.DIAS_PENDIENTE} días): vuelva a subirlo.")
            return None
        trabajo_empezar(trabajo_id, mensaje=f"Leyendo «{libro.nombre_archivo}»")
        pasos = 0

        def avisar(texto):
            nonlocal pasos
            pasos += 1
            trabajo_avanzar(trabajo_id, pasos, None, texto)
            if progreso:
                progreso(texto)

        try:
            hecha = matriz_importar(
                contenido=bytes(libro.contenido), nombre_archivo=libro.nombre_archivo, usuario=trabajo.creado_por,
                corte=date.fromisoformat(p["corte"]) if p.get("corte") else None, simular=p["simular"],
                mapeos=p.get("mapeos") or None, progreso=avisar, libro=libro, trabajo_id=trabajo_id)
        except ArchivoRechazado as rechazo:
            if rechazo.temporal:
                raise
            trabajo_fallar(trabajo_id, error=rechazo.mensaje)
            return None
        except (ValidationError, PermissionDenied) as error:
            trabajo_fallar(trabajo_id, error=" ".join(getattr(error, "messages", [str(error)])))
            return None
    trabajo_terminar(trabajo_id, resultado={"importacion": hecha.pk, "estado": hecha.estado},
                     mensaje=importacion_resumen(hecha))
    return hecha


def importacion_resumen(i: ImportacionMatriz) -> str:
    simulada = i.modo == ImportacionMatriz.Modo.SIMULACION
    return (f"{i.get_estado_display()}: {i.filas_leidas} filas leídas, {i.expedientes_creados} expedientes "
            f"{'a crear' if simulada else 'creados'}, {i.pagos_creados} pagos, {i.sin_cambios} sin cambios, "
            f"{len(i.problemas)} problema{'' if len(i.problemas) == 1 else 's'}.")


def formato_guardar(*, nombre: str, firma: str, cabeceras: list[str], mapeo: dict, usuario) -> FormatoMatriz:
    """Save (or update) the column mapping of a layout, by its header signature."""
    nombre = " ".join((nombre or "").split())
    if not nombre:
        raise ValidationError({"nombre": "Indique un nombre para el formato (p. ej. «Matriz 2009-2013»)."})
    desconocidos = set(mapeo) - set(lectura.CAMPOS)
    if desconocidos or set(mapeo.values()) - set(cabeceras):
        raise ValidationError("El mapeo nombra campos o cabeceras que no existen en la hoja.")
    if FormatoMatriz.objects.filter(nombre=nombre).exclude(firma=firma).exists():
        raise ValidationError({"nombre": f"Ya existe otro formato llamado «{nombre}»."})
    formato, _ = FormatoMatriz.objects.update_or_create(
        firma=firma, defaults={"nombre": nombre, "cabeceras": cabeceras, "mapeo": mapeo, "actualizado_por": usuario})
    return formato


def mapeos_de_formato(nombre: str, contenido: bytes) -> dict:
    """`--formato NOMBRE`: that layout's mapping for every sheet of the workbook."""
    formato = FormatoMatriz.objects.filter(nombre=nombre).first()
    if formato is None:
        raise ValidationError(f"No existe el formato «{nombre}».")
    libro = lectura.libro_leer(io.BytesIO(contenido))
    return {h.firma: formato.mapeo for h in libro.hojas}
