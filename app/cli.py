"""The `loket` command: serve, migrate, make keys, load demo data."""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy import inspect

from app.accounts.principal import Principal, Role
from app.config import get_settings
from app.db import create_db_engine, create_session_factory

if TYPE_CHECKING:
    from alembic.config import Config

cli = typer.Typer(help="Loket: one national counter for social enterprise.", no_args_is_help=True)
db_cli = typer.Typer(help="Database migrations.", no_args_is_help=True)
apikey_cli = typer.Typer(help="API keys.", no_args_is_help=True)
demo_cli = typer.Typer(help="Demo data.", no_args_is_help=True)
user_cli = typer.Typer(help="People who sign in by mailed link.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(apikey_cli, name="apikey")
cli.add_typer(demo_cli, name="demo")
cli.add_typer(user_cli, name="user")

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def alembic_config() -> Config:
    # Imported here: alembic is not needed to serve, and `loket serve` starts faster without it.
    from alembic.config import Config

    # A source checkout has alembic.ini beside app/; an installed package is run from the
    # directory holding alembic.ini and migrations/ (as the Docker image does).
    root = PROJECT_ROOT if (PROJECT_ROOT / "alembic.ini").exists() else Path.cwd()
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    return config


def _require_schema() -> None:
    engine = create_db_engine(get_settings())
    try:
        if not inspect(engine).has_table("companies"):
            typer.echo("The database has no schema yet: run `loket db upgrade` first.", err=True)
            raise typer.Exit(code=1)
    finally:
        engine.dispose()


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "heads") -> None:
    """Apply migrations up to REVISION (default: all heads)."""
    from alembic import command

    command.upgrade(alembic_config(), revision)


@db_cli.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()]) -> None:
    """Revert migrations down to REVISION (`base` for an empty database)."""
    from alembic import command

    command.downgrade(alembic_config(), revision)


@db_cli.command("current")
def db_current() -> None:
    """Show the applied revision."""
    from alembic import command

    command.current(alembic_config())


@apikey_cli.command("create")
def apikey_create(
    role: Annotated[Role, typer.Option(help="admin, company, entrepreneur or partner")],
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    company_id: Annotated[
        str | None, typer.Option(help="For company keys: the company's id.")
    ] = None,
    expires_days: Annotated[
        int | None, typer.Option(min=1, help="Expire after this many days.")
    ] = None,
    publishable: Annotated[
        bool,
        typer.Option(help="Partner keys: a browser key for the public calls, from --origin only."),
    ] = False,
    origin: Annotated[
        list[str] | None,
        typer.Option(help="Publishable keys: a browser origin (https://host[:port]); repeat it."),
    ] = None,
) -> None:
    """Create an API key. The secret is printed once, as the last line."""
    from datetime import timedelta

    from pydantic import ValidationError

    from app.accounts.schemas import ApiKeyCreate
    from app.accounts.service import create_api_key
    from app.errors import DomainError

    try:
        # The API's own request model, so the CLI accepts exactly what POST /v1/api-keys does.
        asked = ApiKeyCreate(
            name=name,
            role=role,
            company_id=uuid.UUID(company_id) if company_id else None,
            allowed_origins=origin or [],
            publishable=publishable,
            expires_at=datetime.now(UTC) + timedelta(days=expires_days) if expires_days else None,
        )
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            where = ".".join(str(part) for part in error["loc"])
            typer.echo(f"error: {where}: {error['msg']}", err=True)
        raise typer.Exit(code=2) from None
    except ValueError as exc:  # a malformed company id
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    _require_schema()
    settings = get_settings()
    engine = create_db_engine(settings)
    factory = create_session_factory(engine)
    try:
        with factory.begin() as session:
            created = create_api_key(
                session,
                secret_key=settings.secret_key,
                name=asked.name,
                role=asked.role,
                company_id=asked.company_id,
                allowed_origins=asked.allowed_origins,
                publishable=asked.publishable,
                expires_at=asked.expires_at,
            )
            key_id, prefix = created.key.id, created.key.prefix
    except DomainError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    finally:
        engine.dispose()
    # Printed only after the commit, so a printed secret always works.
    kind = "publishable " if asked.publishable else ""
    typer.echo(
        f"Created {kind}{role.value} key '{asked.name}' (id {key_id}, prefix {prefix}). "
        "Store the secret now; it is not shown again:"
    )
    typer.echo(created.secret)


@demo_cli.command("load")
def demo_load() -> None:
    """Load the fictional demo companies; running it again adds nothing twice."""
    from app.companies.schemas import CompanyCreate
    from app.companies.service import create_company
    from app.demo import demo_companies
    from app.demo.cases import load_demo_cases
    from app.demo.french import french_companies
    from app.demo.insights import load_demo_insights
    from app.demo.partners import load_demo_partners
    from app.demo.standing import load_saved_searches
    from app.errors import Conflict

    _require_schema()
    engine = create_db_engine(get_settings())
    factory = create_session_factory(engine)
    from app.people.service import create_user

    loader = Principal(key_id=uuid.UUID(int=0), role=Role.admin, name="demo loader")
    added = skipped = people = 0
    active: list[uuid.UUID] = []
    try:
        with factory.begin() as session:
            for profile in [*demo_companies(), *french_companies()]:
                try:
                    # Refused with 409 when the registration exists: loaded before.
                    company_id = create_company(
                        session, CompanyCreate.model_validate(profile), loader
                    ).id
                except Conflict as exc:
                    skipped += 1
                    company_id = uuid.UUID(exc.extra["existing_id"])
                else:
                    added += 1
                if profile["status"] == "active":
                    active.append(company_id)
            for person in demo_people(active):
                try:
                    create_user(session, **person)
                except Conflict:
                    continue
                people += 1
            organisations = load_demo_partners(session, active)
            load_saved_searches(session)
            load_demo_insights(session, get_settings())
            cases = load_demo_cases(session)
    finally:
        engine.dispose()
    typer.echo(f"Demo data: {added} companies added, {skipped} already present; "
               f"{people} people added; {organisations} organisations added "
               f"(with partnerships and a local network); {cases} cases added "
               "(sign in as operator@loket.example, "
               "ondernemer@loket.example, bedrijf@loket.example or bedrijf2@loket.example).")


def demo_people(active_companies: list[uuid.UUID]) -> list[dict[str, Any]]:
    """The demo's people: an operator, an entrepreneur and a member of each of the first two
    active demo companies. They sign in with a mailed link (see /dev/mail)."""
    people: list[dict[str, Any]] = [
        {"email": "operator@loket.example", "name": "Olga Operator", "role": "admin"},
        {"email": "ondernemer@loket.example", "name": "Sanne de Ondernemer",
         "organisation": "Green Side", "role": "entrepreneur"},
    ]
    for email, name, company_id in zip(
        ("bedrijf@loket.example", "bedrijf2@loket.example"),
        ("Bram van het Bedrijf", "Bea van het Bedrijf"), active_companies, strict=False,
    ):
        people.append({"email": email, "name": name, "role": "company",
                       "company_id": company_id})
    return people


@user_cli.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="The address the sign-in links go to.")],
    name: Annotated[str, typer.Option(help="The person's name.")],
    role: Annotated[str, typer.Option(help="admin, company or entrepreneur")] = "admin",
    company_id: Annotated[
        str | None, typer.Option(help="For company members: the company's id.")
    ] = None,
    organisation: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str, typer.Option(help="nl, en or fr: the language of the mails.")] = "nl",
) -> None:
    """Make an account (the first operator: `--role admin`). The person signs in with a
    mailed link: ask for one on the sign-in page."""
    from pydantic import TypeAdapter, ValidationError

    from app.common.validators import Email
    from app.errors import DomainError
    from app.people.service import create_user

    try:
        address = str(TypeAdapter(Email).validate_python(email))
        company = uuid.UUID(company_id) if company_id else None
    except (ValidationError, ValueError):
        typer.echo("error: give a valid --email (and --company-id as a UUID)", err=True)
        raise typer.Exit(code=2) from None
    _require_schema()
    engine = create_db_engine(get_settings())
    factory = create_session_factory(engine)
    try:
        with factory.begin() as session:
            user = create_user(session, email=address, name=name, role=role,
                               company_id=company, organisation=organisation,
                               language=language)
            user_id = user.id
    except DomainError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    finally:
        engine.dispose()
    typer.echo(f"Created {role} account {user_id}; sign in with a link mailed to the address.")


@cli.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl or csv (default: by file extension)")
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=100_000)] = 1000,
    errors_to: Annotated[
        Path | None, typer.Option("--errors", help="Also write the bad rows' report here.")
    ] = None,
) -> None:
    """Bulk-import company profiles (JSON Lines: one v1 profile per line; CSV: see docs).

    Bad rows are reported with their line numbers and skipped; good rows land. Exits 1 when
    any row was refused.
    """
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from app.companies.importer import import_profiles, read_rows

    if fmt not in (None, "jsonl", "csv"):
        typer.echo("--format must be jsonl or csv", err=True)
        raise typer.Exit(code=2)
    _require_schema()
    with path.open("rb") as handle:
        total = sum(1 for line in handle if line.strip())
    if (fmt or path.suffix.lower().lstrip(".")) == "csv":
        total = max(total - 1, 0)
    engine = create_db_engine(get_settings())
    started = time.perf_counter()
    try:
        with Progress(
            "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
            TimeRemainingColumn(), transient=True,
        ) as progress:
            task = progress.add_task("importing", total=total)
            report = import_profiles(
                create_session_factory(engine),
                read_rows(path, fmt),
                batch_size=batch_size,
                on_progress=lambda n: progress.advance(task, n),
            )
    finally:
        engine.dispose()
    elapsed = time.perf_counter() - started
    lines = [f"line {e.line}: {e.message}" for e in report.errors]
    for line in lines[:50]:
        typer.echo(line, err=True)
    if len(lines) > 50:
        typer.echo(f"... and {len(lines) - 50} more", err=True)
    if errors_to is not None:
        errors_to.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    rate = report.imported / elapsed if elapsed > 0 else 0.0
    typer.echo(
        f"Imported {report.imported} companies, refused {report.failed} rows "
        f"in {elapsed:.1f} s ({rate:.0f} profiles/s)."
    )
    if report.failed:
        raise typer.Exit(code=1)


# Where the workers of `loket serve --workers N` write their metrics for GET /metrics to sum
# (prometheus-client's multiprocess mode).
METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def _prepare_metrics_dir(workers: int) -> str | None:
    """An empty metrics directory for the workers, set in the environment they inherit: the
    operator's PROMETHEUS_MULTIPROC_DIR, emptied (an earlier run's figures must not be summed
    in), or with several workers a temporary one, returned so that it is removed at exit."""
    directory = os.environ.get(METRICS_DIR_VARIABLE)
    if directory:
        os.makedirs(directory, exist_ok=True)
        for path in glob.glob(os.path.join(directory, "*.db")):
            os.remove(path)
        return None
    if workers == 1:
        return None  # one process keeps its figures in memory
    created = tempfile.mkdtemp(prefix="loket-metrics-")
    os.environ[METRICS_DIR_VARIABLE] = created
    return created


@cli.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
) -> None:
    """Run the HTTP service with uvicorn; several workers run under uvicorn's own process
    manager, which restarts a worker that dies or stops answering.

    With LOKET_ENV=development (the default, what `make run` uses) the notification worker
    runs beside it, so mail (written to LOKET_EMAIL_DIR, see /dev/mail) needs no other
    command."""
    stop = threading.Event()
    if get_settings().env == "development":
        threading.Thread(target=_development_worker, args=(stop,), daemon=True,
                         name="loket-dev-worker").start()
    try:
        _run_uvicorn(host, port, workers, reload)
    finally:
        stop.set()


def _development_worker(stop: threading.Event) -> None:
    """`loket worker` in a thread of `loket serve` (development only)."""
    from app.worker import make_worker

    settings = get_settings()
    engine = create_db_engine(settings)
    try:
        if not inspect(engine).has_table("outbox"):
            typer.echo("No schema yet: mail is not sent until `loket db upgrade`.", err=True)
            return
        make_worker(create_session_factory(engine), settings).run_forever(stop)
    finally:
        engine.dispose()


def _run_uvicorn(host: str, port: int, workers: int, reload: bool) -> None:
    import uvicorn

    temporary_metrics_dir = _prepare_metrics_dir(1 if reload else workers)
    try:
        uvicorn.run(
            "app.main:create_app",
            factory=True,
            host=host,
            port=port,
            workers=None if reload else workers,
            reload=reload,
            proxy_headers=True,
            access_log=False,
            # A worker busy building a large catalogue answers the supervisor's ping late;
            # only one silent this long is taken for hung and replaced.
            timeout_worker_healthcheck=60,
        )
    finally:
        if temporary_metrics_dir is not None:
            shutil.rmtree(temporary_metrics_dir, ignore_errors=True)


@cli.command("worker")
def worker(
    once: Annotated[bool, typer.Option(help="One pass, then exit.")] = False,
) -> None:
    """Deliver queued notifications (email, webhooks) and close call-outs past their deadline.

    Run as many as you like: they never send the same notification twice at once.
    """
    import signal
    import threading

    from app.logging import configure_logging
    from app.worker import make_worker

    _require_schema()
    settings = get_settings()
    configure_logging(settings.log_level, json_output=settings.log_json)
    engine = create_db_engine(settings)
    runner = make_worker(create_session_factory(engine), settings)
    try:
        if once:
            typer.echo(f"Handled {runner.run_once()} notifications.")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        runner.run_forever(stop)
    finally:
        engine.dispose()


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
