from __future__ import annotations

from fastapi import APIRouter, Response

from app.accounts.dependencies import CurrentPrincipal
from app.common.http import ERROR_RESPONSES, no_store
from app.db import DbSession
from app.privacy import service
from app.privacy.schemas import ErasureReport, PersonExport, PersonRef

router = APIRouter(prefix="/v1/privacy", tags=["privacy"], responses=ERROR_RESPONSES)


@router.post("/contacts/export", response_model=PersonExport)
def export_contact(
    body: PersonRef, session: DbSession, principal: CurrentPrincipal, response: Response
) -> PersonExport:
    """Everything Loket holds about one person, found by email (GDPR access and
    portability): contact-person entries, requests naming them as contact, and the change
    history entries that touched them. Operators see all; a company only its own contacts.
    The address travels in the body so it never lands in access logs. An address Loket could
    never have stored (a reserved domain such as `.test` or `.invalid`) is refused with 422
    (`invalid_email`)."""
    no_store(response)
    return service.export(session, service.subject_for(principal, body.email))


@router.post("/contacts/erase", response_model=ErasureReport)
def erase_contact(
    body: PersonRef, session: DbSession, principal: CurrentPrincipal, response: Response
) -> ErasureReport:
    """Erase one person everywhere (GDPR erasure), in one transaction: their contact-person
    entries, their contact details on requests, their traces in the change history and any
    stored idempotent replay that could hold them. Operators erase everywhere; a company only
    among its own contacts. Erasing someone not found is not an error: the counts are 0. An
    address on a reserved domain (`.test`, `.invalid`, ...) is refused with 422
    (`invalid_email`), as everywhere Loket takes an address."""
    no_store(response)
    counts = service.erase(session, service.subject_for(principal, body.email))
    return ErasureReport(erased=counts)
