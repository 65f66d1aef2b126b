ARG BASE_IMAGE=python:3.11-slim
# The base is an argument so the image also builds where no registry serves python:3.11-slim
# (../shared/tools/container-check passes a Debian base with python3 and python3-venv).
# No `# syntax=` line: it would make BuildKit fetch its frontend from a registry.

# Build stage: a virtualenv with Loket and its dependencies (all of them ship wheels).
FROM ${BASE_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
# Dependencies first, read from pyproject.toml, so a change under app/ reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > requirements.txt \
 && /opt/venv/bin/pip install -r requirements.txt
COPY README.md ./
COPY app ./app
# pip and setuptools stay behind: the running service installs nothing.
RUN /opt/venv/bin/pip install --no-deps . \
 && /opt/venv/bin/pip uninstall --yes setuptools pip

# Run stage: the same `loket` commands as the README, as a non-root user. On the vfs storage
# driver every step copies the whole image, so the large venv comes last and the steps before
# it stay cached while only app/ changes.
FROM ${BASE_IMAGE}
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    LOKET_DATABASE_URL=sqlite:////data/loket.db LOKET_EMAIL_DIR=/data/mail LOKET_LOG_JSON=true
RUN useradd --create-home --uid 10001 loket && mkdir /data && chown loket /data
# The SQLite database and the file mail backend's .eml files; mount a volume to keep them.
VOLUME /data
WORKDIR /srv/loket
COPY alembic.ini ./
COPY migrations ./migrations
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:${PORT:-8000}/health/ready', timeout=2).status != 200)"
# exec: the server becomes PID 1 and gets `docker stop`'s SIGTERM (sh would not pass it on).
CMD ["sh", "-c", "loket db upgrade && exec loket serve --host 0.0.0.0 --port ${PORT:-8000} --workers ${WORKERS:-2}"]
USER loket
COPY --from=build /opt/venv /opt/venv
