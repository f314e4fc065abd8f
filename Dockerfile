# Production image: gunicorn serves the app; the same image runs the Celery worker and beat.
FROM node:20-slim AS frontend
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/vendor.sh scripts/echarts-entry.js scripts/fullcalendar-entry.js scripts/
RUN scripts/vendor.sh

FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY core core
COPY jobs jobs
COPY config config
COPY devtools devtools
COPY accounts accounts
COPY inventory inventory
COPY sales sales
COPY marketing marketing
COPY service service
COPY reports reports
RUN pip install .
COPY . .
COPY --from=frontend /src/static/vendor static/vendor
# The static files are collected with the storage the containers serve them with (the manifest
# of hashed names); a different storage here gives "Missing staticfiles manifest entry" on every page.
ENV STATICFILES_STORAGE=whitenoise.storage.CompressedManifestStaticFilesStorage
RUN DEBUG=1 python manage.py compilemessages -v 0 --ignore=node_modules \
    && DEBUG=1 python manage.py collectstatic --no-input -v 0
# Not root: the app runs as an unprivileged user that can write only its media and var folders.
RUN useradd --uid 10001 --create-home crm && mkdir -p /app/media /app/var \
    && chown -R crm /app/media /app/var
USER crm
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=10s --start-period=20s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/', timeout=5)"]
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--timeout", "60"]
