// The reader's viewer (expedientes/views/lector.py, templates/expedientes/admin/lector.html).
// pdf.js is vendored under static/vendor/pdfjs/ at build time (scripts/estaticos.sh, from the
// npm package pdfjs-dist): nothing comes from a CDN. One page at a time on a canvas; the URL
// follows the page (?pagina=N), so a reload or a copied link opens where the reader was.
const raiz = document.getElementById("lector");
const lienzo = document.getElementById("lector-lienzo");
const mensaje = document.getElementById("lector-mensaje");
const campo = document.getElementById("pagina-numero");
const total = document.getElementById("paginas-total");
const folio = document.getElementById("folio-actual");
const botonAnterior = document.getElementById("pagina-anterior");
const botonSiguiente = document.getElementById("pagina-siguiente");
const desde = raiz.dataset.folioDesde ? Number(raiz.dataset.folioDesde) : null;

let pdf = null;
let actual = 0;
let escala = null; // null: fit the page to the width of the reader
let escalaActual = 1; // the scale the page on screen was drawn at
let dibujando = false;
let pendiente = null;

function avisar(texto) {
  mensaje.textContent = texto;
  mensaje.hidden = !texto;
}

function fallar(texto) {
  avisar(texto);
  lienzo.hidden = true;
  raiz.dataset.estado = "error";
}

async function dibujar(numero) {
  const pagina = await pdf.getPage(numero);
  const natural = pagina.getViewport({ scale: 1 });
  const ancho = Math.max(200, raiz.clientWidth - 40);
  escalaActual = escala ?? ancho / natural.width;
  const viewport = pagina.getViewport({ scale: escalaActual });
  const ratio = window.devicePixelRatio || 1;
  lienzo.width = Math.floor(viewport.width * ratio);
  lienzo.height = Math.floor(viewport.height * ratio);
  lienzo.style.width = `${Math.floor(viewport.width)}px`;
  lienzo.style.height = `${Math.floor(viewport.height)}px`;
  const transform = ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null;
  await pagina.render({ canvas: lienzo, viewport, transform }).promise;
  lienzo.hidden = false;
}

async function mostrar(numero) {
  numero = Math.min(Math.max(1, Math.trunc(numero) || 1), pdf.numPages);
  if (dibujando) {
    pendiente = numero; // the last page asked wins; one render at a time
    return;
  }
  dibujando = true;
  raiz.dataset.estado = "dibujando";
  try {
    await dibujar(numero);
  } catch (error) {
    dibujando = false;
    fallar(`No se pudo dibujar la página ${numero}: ${error.message || error}`);
    return;
  }
  actual = numero;
  campo.value = String(numero);
  botonAnterior.disabled = numero <= 1;
  botonSiguiente.disabled = numero >= pdf.numPages;
  if (folio && desde !== null) folio.textContent = `folio ${desde + numero - 1}`;
  const url = new URL(window.location.href);
  url.searchParams.delete("folio");
  url.searchParams.set("pagina", String(numero));
  window.history.replaceState(null, "", url);
  raiz.dataset.paginaMostrada = String(numero);
  dibujando = false;
  if (pendiente !== null && pendiente !== numero) {
    const siguiente = pendiente;
    pendiente = null;
    await mostrar(siguiente);
    return;
  }
  pendiente = null;
  raiz.dataset.estado = "listo";
}

function mensajeDeError(error) {
  switch (error && error.name) {
    case "PasswordException":
      return "El PDF está protegido con contraseña: no se puede mostrar aquí. Descárguelo para abrirlo.";
    case "InvalidPDFException":
      return "El archivo no es un PDF legible (puede estar dañado). Descárguelo para revisarlo.";
    case "ResponseException":
    case "MissingPDFException":
      return "No se pudo obtener el documento. Recargue la página o vuelva a iniciar sesión.";
    default:
      return `No se pudo abrir el documento: ${(error && error.message) || error}`;
  }
}

async function abrir() {
  let pdfjs;
  try {
    pdfjs = await import(raiz.dataset.pdfjs);
  } catch (error) {
    fallar("El visor de PDF no está instalado en el servidor (scripts/estaticos.sh). Descargue el archivo.");
    return;
  }
  pdfjs.GlobalWorkerOptions.workerSrc = raiz.dataset.pdfjsWorker;
  const recursos = raiz.dataset.pdfjsRecursos;
  try {
    pdf = await pdfjs.getDocument({
      url: raiz.dataset.contenido,
      // one request for the whole file: one logged reading, no partial responses to serve
      disableRange: true,
      disableStream: true,
      disableAutoFetch: true,
      enableXfa: false,
      cMapUrl: `${recursos}cmaps/`,
      cMapPacked: true,
      standardFontDataUrl: `${recursos}standard_fonts/`,
      wasmUrl: `${recursos}wasm/`,
      iccUrl: `${recursos}iccs/`,
    }).promise;
  } catch (error) {
    fallar(mensajeDeError(error));
    return;
  }
  total.textContent = String(pdf.numPages);
  campo.max = String(pdf.numPages);
  const pedida = Number(raiz.dataset.pagina) || 1;
  avisar(pedida > pdf.numPages
    ? `El documento tiene ${pdf.numPages} página${pdf.numPages === 1 ? "" : "s"}; se muestra la última.` : "");
  await mostrar(pedida);
}

botonAnterior.addEventListener("click", () => mostrar(actual - 1));
botonSiguiente.addEventListener("click", () => mostrar(actual + 1));
campo.addEventListener("change", () => mostrar(Number(campo.value)));
document.getElementById("zoom-mas").addEventListener("click", () => {
  escala = Math.min(5, escalaActual * 1.25);
  mostrar(actual);
});
document.getElementById("zoom-menos").addEventListener("click", () => {
  escala = Math.max(0.2, escalaActual / 1.25);
  mostrar(actual);
});
document.getElementById("zoom-ancho").addEventListener("click", () => {
  escala = null;
  mostrar(actual);
});
document.addEventListener("keydown", (evento) => {
  if (!pdf || evento.target.closest("input, textarea, select")) return;
  if (evento.key === "ArrowRight" || evento.key === "PageDown") mostrar(actual + 1);
  if (evento.key === "ArrowLeft" || evento.key === "PageUp") mostrar(actual - 1);
});
let redimension = null;
window.addEventListener("resize", () => {
  if (!pdf || escala !== null) return;
  clearTimeout(redimension);
  redimension = setTimeout(() => mostrar(actual), 200);
});

abrir();
