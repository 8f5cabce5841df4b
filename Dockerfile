# The portal's application image (production-like stack: see docker-compose.yml).

# Build stage: the front-end libraries (pdf.js, the reader's viewer) from the npm registry,
# exactly as package-lock.json pins them (scripts/estaticos.sh). Node never reaches the
# final image; nothing is loaded from a CDN at run time.
FROM python:3.11-slim-bookworm AS estaticos
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY package.json package-lock.json ./
COPY scripts/estaticos.sh ./scripts/
RUN ./scripts/estaticos.sh /build

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    DJANGO_STATIC_ROOT=/app/static \
    PORTAL_VAR_DIR=/app/var

# libmagic: python-magic reads the type from the bytes; pango + fonts: WeasyPrint's PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libmagic1 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
        tesseract-ocr tesseract-ocr-spa ghostscript \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin portal

WORKDIR /app
# Only what the application needs (not .venv, .devstack, tests). README.m[d]: optional.
COPY pyproject.toml README.m[d] manage.py ./
COPY portal ./portal
COPY --from=estaticos /build/portal/static/vendor ./portal/static/vendor
COPY expedientes ./expedientes
COPY archivo ./archivo
COPY permisos ./permisos
COPY templates ./templates
COPY locale ./locale
# Installs the dependencies (and the packages). Processes run from /app, so the source tree
# there is what is imported (BASE_DIR = /app: templates/, var/).
RUN pip install . \
    && rm -rf build ./*.egg-info

# Static files with the production storage (hashed, compressed, served by WhiteNoise). The
# values below are throwaways for this build step only; the real ones come at run time.
RUN DJANGO_SECRET_KEY=build DATABASE_URL=sqlite:////tmp/build.sqlite3 DJANGO_ALLOWED_HOSTS=build \
    S3_ACCESS_KEY_ID=build S3_SECRET_ACCESS_KEY=build \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var \
    && chown -R portal:portal /app/var

USER portal
EXPOSE 8000
# --timeout: an upload of up to 100 MB is streamed to clamd and to S3 inside the request.
CMD ["gunicorn", "portal.wsgi:application", "-b", "0.0.0.0:8000", "-w", "3", \
     "--timeout", "120", "--access-logfile", "-"]
