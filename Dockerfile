FROM python:3.12-slim-bookworm

# WeasyPrint needs Pango; fonts are shipped with the application (static/fonts).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY aktiva aktiva
COPY trainings trainings
COPY participants participants
COPY feedback feedback
COPY demo demo
RUN pip install --no-cache-dir .
COPY . .
RUN DEBUG=0 python manage.py collectstatic --noinput

RUN useradd --create-home aktiva && mkdir -p /app/media && chown aktiva /app/media
USER aktiva
EXPOSE 8000
CMD ["gunicorn", "aktiva.wsgi", "-c", "python:aktiva.gunicorn_conf"]
