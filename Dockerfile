# syntax=docker/dockerfile:1

# Production image of the regional governance portal. One image serves the
# web process (gunicorn), the Celery worker and Celery beat; docker-compose.yml
# picks the command. See docs/production.md.

# --- Front-end packages ------------------------------------------------------
# Node.js is needed only to fetch the NL Design System packages pinned in
# package-lock.json; the final image contains node_modules but not Node.js.
FROM node:20-bookworm-slim AS frontend

WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund


# --- Application -------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MEDIA_ROOT=/data/media

# Run-time libraries of WeasyPrint (Pango >= 1.44; bookworm ships 1.50) and a
# fallback font for PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        libjpeg62-turbo \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Unprivileged user; the code stays owned by root and read-only for it. Only
# the media folder (a volume in production) is writable.
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --create-home \
        --home-dir /home/portal --shell /usr/sbin/nologin portal \
    && mkdir -p /data/media \
    && chown portal:portal /data/media

WORKDIR /app

COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt

COPY --from=frontend /build/node_modules ./node_modules
COPY . .

# Static files are collected at build time with DEBUG off, so WhiteNoise serves
# the hashed, compressed files. The settings refuse to load without SECRET_KEY
# and ALLOWED_HOSTS when DEBUG is off: the values below exist only for this
# command and are not stored in the image. CELERY_BROKER_URL keeps the settings
# from creating the development broker folder (.broker) in the image.
RUN DEBUG=0 SECRET_KEY=build-only ALLOWED_HOSTS=build CELERY_BROKER_URL=memory:// \
    python manage.py collectstatic --noinput

USER portal

EXPOSE 8000

# gunicorn with threaded workers; processes from WEB_CONCURRENCY or the CPU
# count, threads, timeouts and the access log in config/gunicorn.py.
CMD ["gunicorn", "-c", "config/gunicorn.py"]
