"""9. Insolvencias: Procesos declarados en insolvencia y dossiers enviados a Asesoría Jurídica."""

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import TruncDate

from expedientes.estados import Estado
from expedientes.informes.base import Cifra, Columna, Detalle, Formato, Informe, Resultado, informe_registrar
from expedientes.informes.consultas import ESTADO_AL, con, en_periodo, estado_desde, nombre_de, recibidos_al
from expedientes.models import DossierInsolvencia, EstadoDossier, EstadoJuicio, Provincia, Transicion


@informe_registrar
class Insolvencias(Informe):
    clave = "insolvencias"
    numero = 9
    titulo = "Insolvencias"
    descripcion = ("Procesos declarados en insolvencia en el periodo, dossiers compartidos con Asesoría Jurídica "
                   "en el periodo y procesos en insolvencia al fin del periodo.")
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        periodo = parametros.periodo
        declaraciones = Transicion.objects.filter(expediente__in=expedientes, hasta=Estado.INSOLVENCIA).filter(
            en_periodo("fecha", periodo))
        dossiers = DossierInsolvencia.objects.filter(expediente__in=expedientes).filter(
            en_periodo("compartido_en__date", periodo))
        registro = recibidos_al(expedientes, periodo.hasta)
        vigentes = registro.filter(**{ESTADO_AL: Estado.INSOLVENCIA})
        declarados = con(expedientes, declaraciones)
        con_dossier = con(expedientes, dossiers)
        cifras = [
            Cifra("declaradas", "Declarados en insolvencia", declarados.count(), Formato.ENTERO, declarados,
                  "Procesos que pasaron a insolvencia en el periodo."),
            Cifra("dossiers", "Dossiers compartidos con Asesoría Jurídica", dossiers.count(), Formato.ENTERO,
                  con_dossier, "Cuenta dossiers (la última vez que se compartieron cae en el periodo); la lista "
                               "muestra sus expedientes."),
            Cifra("vigentes", "En insolvencia al fin del periodo", vigentes.count(), Formato.ENTERO, vigentes),
        ]
        ultimo_dossier = DossierInsolvencia.objects.filter(
            expediente=OuterRef("pk"), compartido_en__date__lte=periodo.hasta).order_by("-compartido_en", "-pk")
        columnas = [
            Columna("numero", "Número"), Columna("coactivado", "Coactivado"), Columna("identificacion", "Cédula/RUC"),
            Columna("provincia", "Provincia", opciones=dict(Provincia.choices)),
            Columna("declarada", "Declarado en insolvencia el", Formato.FECHA),
            Columna("estado", "Estado al fin del periodo", opciones=dict(Estado.choices)),
            Columna("compartido", "Dossier compartido el", Formato.FECHA),
            Columna("dossier", "Dossier", opciones=dict(EstadoDossier.choices)),
            Columna("juicio", "Juicio de insolvencia", opciones=dict(EstadoJuicio.choices)),
            Columna("abogado", "Abogado"),
        ]
        filas_detalle = registro.filter(
            Q(pk__in=declaraciones.values("expediente")) | Q(pk__in=dossiers.values("expediente"))
            | Q(**{ESTADO_AL: Estado.INSOLVENCIA})
        ).annotate(
            declarada=estado_desde(periodo.hasta, Estado.INSOLVENCIA),
            compartido=Subquery(ultimo_dossier.annotate(dia=TruncDate("compartido_en")).values("dia")[:1]),
            dossier=Subquery(ultimo_dossier.values("estado")[:1]),
            juicio=Subquery(ultimo_dossier.values("estado_juicio")[:1]),
            abogado_nombre=nombre_de("abogado"),
        ).order_by("numero").values_list(
            "numero", "coactivado__nombre", "coactivado__identificacion", "provincia", "declarada", ESTADO_AL,
            "compartido", "dossier", "juicio", "abogado_nombre")
        return Resultado(
            self, parametros, cifras=cifras, detalle=Detalle(columnas, filas_detalle, "Procesos"),
            notas=["Un proceso declarado en insolvencia en el periodo puede haber salido de ella (pagado, "
                   "archivado) antes de su fin: cuenta en «declarados» y no en «en insolvencia».",
                   "Un dossier retirado y vuelto a compartir cuenta por la última vez que se compartió; el estado "
                   "del dossier y del juicio son los de hoy."],
        )
