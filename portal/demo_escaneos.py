"""Generated scans: pages of Spanish text (accents, ñ, ü) rendered to a grey image the way a
desk scanner delivers them (300 dpi, a little skew, a little noise), as image or PDF bytes.
For the tests of the OCR path, benchmarks/ocr.py and demo data: no real document is needed,
and the exact words on each page are known, so the OCR's word accuracy can be measured."""

import difflib
import io
import random
import re
import unicodedata

from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Debian's fonts-dejavu-core (scripts/bootstrap.sh, Dockerfile).
FUENTE = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

PALABRAS = (
    "el la de del los las en por para con sin según sobre ante tras y o que se su sus al "
    "juzgado coactiva coactivado coactivada expediente actuación providencia resolución "
    "notificación citación liquidación crédito créditos tributario obligación ejecución "
    "embargo retención medida cautelar depositario secretaría abogado señor señora compañía "
    "cédula número período años días término plazo vigésimo décimo ministerio trabajo "
    "dirección regional Cuenca Azuay Loja Cañar Morona Ecuador república código orgánico "
    "administrativo artículo inciso razón público pública técnico jurídico garantía vergüenza "
    "acción sanción multa interés mora capital costas pago abono convenio cuota saldo "
    "auto orden mandamiento deudor acreedor titular bancario cuenta corriente ahorro "
    "institución financiera superintendencia bancos economía popular solidaria información "
    "registro propiedad inmueble vehículo matrícula bienes dictamen diligencia fojas útiles "
    "cúmplase notifíquese ofíciese agréguese autos vistos considerando"
).split()


def texto_generar(*, palabras: int, semilla: int = 0) -> list[str]:
    """`palabras` Spanish words in sentences, as a flat list (the reference text)."""
    azar = random.Random(semilla)
    salida, frase = [], 0
    for _ in range(palabras):
        palabra = azar.choice(PALABRAS)
        if frase == 0:
            palabra = palabra[0].upper() + palabra[1:]
        frase += 1
        if frase >= azar.randint(8, 16):
            palabra += "."
            frase = 0
        salida.append(palabra)
    if salida and not salida[-1].endswith("."):
        salida[-1] += "."
    return salida


def lineas_partir(palabras: list[str], *, ancho: int, fuente) -> list[str]:
    lineas, actual = [], ""
    for palabra in palabras:
        prueba = f"{actual} {palabra}".strip()
        if actual and fuente.getlength(prueba) > ancho:
            lineas.append(actual)
            actual = palabra
        else:
            actual = prueba
    if actual:
        lineas.append(actual)
    return lineas


def pagina_escanear(palabras: list[str], *, dpi: int = 300, inclinacion: float = 1.5,
                    puntos: float = 12, ruido: bool = True, semilla: int = 0) -> Image.Image:
    """One A4 page of `palabras` as a greyscale scan: text at `puntos` pt, rotated by
    `inclinacion` degrees, slightly blurred with speckles (an empty list: a blank page)."""
    ancho, alto = round(8.27 * dpi), round(11.69 * dpi)
    margen = round(dpi)  # one inch
    fuente = ImageFont.truetype(FUENTE, size=round(puntos / 72 * dpi))
    imagen = Image.new("L", (ancho, alto), 255)
    dibujo = ImageDraw.Draw(imagen)
    interlinea = round(puntos / 72 * dpi * 1.5)
    y = margen
    for linea in lineas_partir(palabras, ancho=ancho - 2 * margen, fuente=fuente):
        dibujo.text((margen, y), linea, font=fuente, fill=20)
        y += interlinea
    if inclinacion:
        imagen = imagen.rotate(inclinacion, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if ruido:
        imagen = imagen.filter(ImageFilter.GaussianBlur(0.6))
        azar = random.Random(semilla)
        pixeles = imagen.load()
        for _ in range(ancho * alto // 4000):
            pixeles[azar.randrange(ancho), azar.randrange(alto)] = azar.choice((0, 90, 180))
    imagen.info["dpi"] = (dpi, dpi)
    return imagen


def paginas_generar(*, paginas: int, palabras: int = 180, semilla: int = 0) -> list[list[str]]:
    """The reference words of each page."""
    return [texto_generar(palabras=palabras, semilla=semilla * 1000 + n) for n in range(paginas)]


def pdf_escaneado(paginas: list[list[str]], *, dpi: int = 300, inclinacion: float = 1.5,
                  ruido: bool = True) -> bytes:
    """A PDF with one scanned image per page and no text layer (what a scanner produces)."""
    imagenes = [pagina_escanear(p, dpi=dpi, inclinacion=inclinacion * (1 if n % 2 == 0 else -0.7),
                                ruido=ruido, semilla=n)
                for n, p in enumerate(paginas)]
    salida = io.BytesIO()
    imagenes[0].save(salida, format="PDF", resolution=dpi, save_all=True, append_images=imagenes[1:])
    return salida.getvalue()


def imagen_escaneada(palabras: list[str], *, formato: str = "PNG", dpi: int = 300,
                     inclinacion: float = 1.5, ruido: bool = True) -> bytes:
    """One scanned page as an image file (PNG, JPEG or TIFF) carrying its resolution."""
    salida = io.BytesIO()
    pagina_escanear(palabras, dpi=dpi, inclinacion=inclinacion, ruido=ruido).save(
        salida, format=formato, dpi=(dpi, dpi))
    return salida.getvalue()


def _palabras(texto: str) -> list[str]:
    texto = unicodedata.normalize("NFC", texto)
    return [p for p in (re.sub(r"^\W+|\W+$", "", t) for t in texto.split()) if p]


def precision_palabras(referencia: list[str] | str, reconocido: str) -> float:
    """Share of the reference words found, in order, exactly (case and accents included),
    in the recognised text: a word-level alignment (difflib), punctuation at a word's
    ends ignored."""
    esperadas = _palabras(referencia if isinstance(referencia, str) else " ".join(referencia))
    obtenidas = _palabras(reconocido)
    if not esperadas:
        return 1.0
    emparejador = difflib.SequenceMatcher(a=esperadas, b=obtenidas, autojunk=False)
    aciertos = sum(bloque.size for bloque in emparejador.get_matching_blocks())
    return aciertos / len(esperadas)
