FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 defensa
WORKDIR /app
# Dependencies first (this layer is rebuilt only when they change), then the tree: a new
# app needs no line here. The app runs from /app; it is not installed as a package.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt
COPY . .
# collectstatic needs settings to import, not real secrets.
RUN SECRET_KEY=build DATABASE_URL=sqlite:////tmp/build.db LOOKUP_HASH_KEY=build FIELD_ENCRYPTION_SALT=build \
    python manage.py collectstatic --noinput
USER defensa
EXPOSE 8000
# Access log: no client address and no path (paths can carry one-time link tokens).
CMD ["sh", "-c", "gunicorn config.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile - --access-logformat '%(t)s \"%(m)s\" %(s)s %(b)s %(L)s'"]
