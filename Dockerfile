# syntax=docker/dockerfile:1
# Build stage: a virtualenv with Loket and its dependencies, no compilers in the final image.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY app ./app
RUN /opt/venv/bin/pip install .
# Compile the matching kernel once here (numba's on-disk cache ships inside the venv), so a
# fresh container does not spend its first search compiling.
RUN /opt/venv/bin/python -c "from app.matching import warm_up; warm_up()"

# Run stage: the same `loket` commands as the README, as a non-root user.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 \
    LOKET_DATABASE_URL=sqlite:////data/loket.db LOKET_LOG_JSON=true
RUN useradd --create-home --uid 10001 loket && mkdir /data && chown loket /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv/loket
COPY alembic.ini ./
COPY migrations ./migrations
USER loket
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/ready', timeout=2).status != 200)"
CMD ["sh", "-c", "loket db upgrade && loket serve --host 0.0.0.0 --port 8000 --workers ${WORKERS:-2}"]
