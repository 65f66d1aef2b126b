"""Every machine-readable error code the API gives, with a Dutch, English and French template.

A field error in a problem+json answer carries `code` (one of `ErrorCode`) and `params` (the
values its template names in braces, such as `{max}`); pages and partners translate the code
instead of showing the English `message`. `GET /v1/error-codes` serves this table; so it is
the one source of truth for the API documentation (docs/errors.md) and the pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, Literal, get_args

from app.words.format import number
from app.words.languages import LANGUAGES

ErrorCode = Literal[
    # any field
    "required", "unknown_field", "invalid", "invalid_json", "not_allowed",
    "not_text", "not_integer", "not_number", "not_boolean", "not_list", "not_object",
    "not_date", "not_datetime", "needs_timezone", "not_uuid", "bad_format",
    "too_small", "too_large", "must_be_above", "must_be_below",
    "too_short", "too_long", "too_few", "too_many",
    "date_out_of_range", "date_in_past", "date_too_far", "not_in_future",
    "unstorable_text", "invalid_email", "invalid_phone", "invalid_url", "unsafe_url",
    "min_above_max",
    # companies
    "invalid_registration_number", "duplicate_site_name", "duplicate_work_kind",
    "site_location_required", "unknown_site", "site_in_use", "lat_lon_together",
    # work kinds and certifications
    "unknown_work_kind", "work_kind_is_group", "unknown_certification",
    # places
    "location_form", "needs_location", "unknown_place", "unknown_postcode",
    "ambiguous_place", "wrong_country", "unknown_country", "unknown_region_id",
    # keys, call-outs, the change feed
    "not_for_this_role", "unknown_account", "not_invited", "bad_cursor",
    # widening a call-out, alerts
    "not_wider",
    # people
    "account_exists",
    # organisations, partnerships, networks
    "needs_both_directions", "offer_required", "one_member", "unknown_company",
    "unknown_organisation", "not_chosen", "unknown_flow",
    # procurement
    "social_return_form", "unknown_region",
    # cases
    "year_in_future", "required_to_submit", "unknown_request",
    # whole-problem codes (the `code` beside `type` in some problems)
    "csrf_failed", "link_expired",
]  # fmt: skip

# code -> (Dutch, English). Placeholders in braces are keys of the error's `params`.
TEMPLATES: Final[dict[str, tuple[str, str]]] = {
    "required": ("Vul dit veld in.", "This field is required."),
    "unknown_field": ("Dit veld kennen we niet.", "This field is not recognised."),
    "invalid": ("Deze waarde klopt niet.", "This value is not valid."),
    "invalid_json": ("De gegevens zijn geen geldige JSON.", "The data is not valid JSON."),
    "not_allowed": ("Kies een van: {expected}.", "Choose one of: {expected}."),
    "not_text": ("Vul hier tekst in.", "Enter text here."),
    "not_integer": ("Vul een heel getal in.", "Enter a whole number."),
    "not_number": ("Vul een getal in.", "Enter a number."),
    "not_boolean": ("Kies ja of nee.", "Choose yes or no."),
    "not_list": ("Hier hoort een lijst.", "A list is expected here."),
    "not_object": ("Hier horen gegevens met velden.", "An object with fields is expected here."),
    "not_date": ("Vul een datum in (JJJJ-MM-DD).", "Enter a date (YYYY-MM-DD)."),
    "not_datetime": ("Vul een datum en tijd in.", "Enter a date and time."),
    "needs_timezone": ("Geef ook de tijdzone.", "Give the time zone too."),
    "not_uuid": ("Dit is geen geldige id.", "This is not a valid id."),
    "bad_format": ("Dit heeft niet de juiste vorm.", "This does not have the right form."),
    "too_small": ("Moet minstens {min} zijn.", "Must be at least {min}."),
    "too_large": ("Mag hoogstens {max} zijn.", "Must be at most {max}."),
    "must_be_above": ("Moet meer dan {min} zijn.", "Must be more than {min}."),
    "must_be_below": ("Moet minder dan {max} zijn.", "Must be less than {max}."),
    "too_short": ("Gebruik minstens {min_length} tekens.",
                  "Use at least {min_length} characters."),
    "too_long": ("Gebruik hoogstens {max_length} tekens.",
                 "Use at most {max_length} characters."),
    "too_few": ("Geef er minstens {min_length}.", "Give at least {min_length}."),
    "too_many": ("Geef er hoogstens {max_length}.", "Give at most {max_length}."),
    "date_out_of_range": ("De datum moet tussen {min_year} en {max_year} liggen.",
                          "The date must lie between {min_year} and {max_year}."),
    "date_in_past": ("Deze datum ligt in het verleden.", "This date lies in the past."),
    "date_too_far": ("Deze datum ligt te ver vooruit; uiterlijk {latest}.",
                     "This date is too far ahead; {latest} at the latest."),
    "not_in_future": ("Dit moet in de toekomst liggen.", "This must lie in the future."),
    "unstorable_text": ("Deze tekst bevat tekens die we niet kunnen bewaren.",
                        "This text holds characters we cannot store."),
    "invalid_email": ("Dit is geen geldig e-mailadres.", "This is not a valid email address."),
    "invalid_phone": ("Dit is geen geldig telefoonnummer.", "This is not a valid phone number."),
    "invalid_url": ("Dit is geen geldig webadres (https://...).",
                    "This is not a valid web address (https://...)."),
    "unsafe_url": ("Naar dit adres sturen we niets.", "We do not send anything to this address."),
    "min_above_max": ("Het minimum mag niet boven het maximum liggen.",
                      "The minimum may not be above the maximum."),
    "invalid_registration_number": (
        "Dit is geen geldig nummer voor {country} (KvK: 8 cijfers; KBO: 10 cijfers).",
        "This is not a valid number for {country} (KvK: 8 digits; KBO: 10 digits)."),
    "duplicate_site_name": ("Elke vestiging heeft een eigen naam.",
                            "Each site needs a name of its own."),
    "duplicate_work_kind": ("Elke werksoort mag maar één keer voorkomen.",
                            "Each kind of work may appear only once."),
    "site_location_required": ("Geef een postcode, een plaats of coördinaten.",
                               "Give a postcode, a place or coordinates."),
    "unknown_site": ("Er is geen vestiging met de naam '{value}'.",
                     "There is no site named '{value}'."),
    "site_in_use": ("Vestiging '{site}' wordt nog gebruikt voor {work_kind}.",
                    "Site '{site}' is still used for {work_kind}."),
    "lat_lon_together": ("Geef zowel breedte- als lengtegraad.",
                         "Give both latitude and longitude."),
    "unknown_region_id": ("Dit gebied kennen we niet: '{value}'.",
                          "We do not know this region: '{value}'."),
    "unknown_work_kind": ("Deze werksoort kennen we niet: '{value}'.",
                          "We do not know this kind of work: '{value}'."),
    "work_kind_is_group": ("'{value}' is een groep; kies de werksoorten erin.",
                           "'{value}' is a group; choose the kinds of work in it."),
    "unknown_certification": ("Dit certificaat kennen we niet: '{value}'.",
                              "We do not know this certification: '{value}'."),
    "location_form": ("Geef een postcode, een plaats, of breedte- en lengtegraad.",
                      "Give a postcode, a place, or latitude and longitude."),
    "needs_location": ("Een maximale afstand vraagt om een locatie.",
                       "A maximum distance needs a location."),
    "unknown_place": ("Deze plaats kennen we niet: '{value}'.",
                      "We do not know this place: '{value}'."),
    "unknown_postcode": ("Deze postcode kennen we niet: '{value}'.",
                         "We do not know this postcode: '{value}'."),
    "ambiguous_place": ("'{value}' kan meer dan één plaats zijn; kies er een.",
                        "'{value}' can be more than one place; choose one."),
    "wrong_country": ("'{value}' ligt niet in {country}; bedoelt u een andere plaats?",
                      "'{value}' does not lie in {country}; did you mean another place?"),
    "unknown_country": ("Kies Nederland (NL) of België (BE).",
                        "Choose the Netherlands (NL) or Belgium (BE)."),
    "not_for_this_role": ("Dit past niet bij deze rol.", "This does not fit this role."),
    "unknown_account": ("Dit account bestaat niet voor deze rol.",
                        "There is no such account for this role."),
    "not_invited": ("Dit bedrijf is niet uitgenodigd voor deze oproep.",
                    "This company was not invited to this call-out."),
    "bad_cursor": ("Geef een tijdstip met tijdzone of een cursor uit next_cursor.",
                   "Give a timestamp with an offset or a cursor from next_cursor."),
    "needs_both_directions": ("Een volwaardig partnerschap noemt wat beide kanten op gaat.",
                              "A full partnership names what flows both ways."),
    "offer_required": ("Noem minstens één ding dat u aanbiedt.",
                       "Name at least one thing you offer."),
    "one_member": ("Kies een bedrijf of een organisatie.",
                   "Choose a company or an organisation."),
    "unknown_company": ("Dit bedrijf kennen we niet.", "We do not know this company."),
    "unknown_organisation": ("Deze organisatie kennen we niet.",
                             "We do not know this organisation."),
    "not_chosen": ("Dit bedrijf is niet gekozen in de uitkomst van deze oproep.",
                   "This company was not chosen in this call-out's outcome."),
    "unknown_flow": ("We kennen '{value}' niet als {facet}.",
                     "We do not know '{value}' as {facet}."),
    "not_wider": ("Dit maakt de oproep niet ruimer: kies een grotere afstand of een groep.",
                  "This would not widen the call-out: choose a larger distance or a group."),
    "year_in_future": ("Dit jaar ligt te ver vooruit.", "This year lies too far ahead."),
    "required_to_submit": ("Vul dit in voordat u de case indient.",
                           "Fill this in before you submit the case."),
    "unknown_request": ("Noem een aanvraag waaraan u hebt meegedaan.",
                        "Name a request you took part in."),
    "account_exists": ("Dit e-mailadres heeft al een account; meld u daarmee aan.",
                       "This email address already has an account; sign in with it."),
    "social_return_form": (
        "Geef een opdrachtwaarde met een percentage, of een bedrag.",
        "Give a contract value with a percentage, or an amount."),
    "unknown_region": ("Voor deze regio hebben we geen telregels: '{value}'.",
                       "We have no counting rules for this region: '{value}'."),
    "csrf_failed": ("Deze pagina is verlopen; laad haar opnieuw en probeer het nog eens.",
                    "This page has expired; reload it and try again."),
    "link_expired": ("Deze link is verlopen of al gebruikt; vraag een nieuwe aan.",
                     "This link has expired or was used already; ask for a new one."),
}

# code -> French. Kept beside TEMPLATES (not in its tuples) so a code added there shows up in
# the completeness test (tests/test_languages.py) as "missing in fr" instead of a type error.
TEMPLATES_FR: Final[dict[str, str]] = {
    "required": "Veuillez remplir ce champ.",
    "unknown_field": "Ce champ ne nous est pas connu.",
    "invalid": "Cette valeur n’est pas valable.",
    "invalid_json": "Les données ne sont pas du JSON valable.",
    "not_allowed": "Choisissez parmi : {expected}.",
    "not_text": "Saisissez du texte ici.",
    "not_integer": "Saisissez un nombre entier.",
    "not_number": "Saisissez un nombre.",
    "not_boolean": "Choisissez oui ou non.",
    "not_list": "Une liste est attendue ici.",
    "not_object": "Des données avec des champs sont attendues ici.",
    "not_date": "Saisissez une date (AAAA-MM-JJ).",
    "not_datetime": "Saisissez une date et une heure.",
    "needs_timezone": "Indiquez aussi le fuseau horaire.",
    "not_uuid": "Cet identifiant n’est pas valable.",
    "bad_format": "La forme ne convient pas.",
    "too_small": "Doit être au moins {min}.",
    "too_large": "Doit être au plus {max}.",
    "must_be_above": "Doit être supérieur à {min}.",
    "must_be_below": "Doit être inférieur à {max}.",
    "too_short": "Utilisez au moins {min_length} caractères.",
    "too_long": "Utilisez au plus {max_length} caractères.",
    "too_few": "Indiquez-en au moins {min_length}.",
    "too_many": "Indiquez-en au plus {max_length}.",
    "date_out_of_range": "La date doit se situer entre {min_year} et {max_year}.",
    "date_in_past": "Cette date est dans le passé.",
    "date_too_far": "Cette date est trop lointaine ; au plus tard le {latest}.",
    "not_in_future": "Ceci doit se situer dans le futur.",
    "unstorable_text": "Ce texte contient des caractères que nous ne pouvons pas enregistrer.",
    "invalid_email": "Cette adresse e-mail n’est pas valable.",
    "invalid_phone": "Ce numéro de téléphone n’est pas valable.",
    "invalid_url": "Cette adresse web n’est pas valable (https://...).",
    "unsafe_url": "Nous n’envoyons rien à cette adresse.",
    "min_above_max": "Le minimum ne peut pas dépasser le maximum.",
    "invalid_registration_number":
        "Ce numéro n’est pas valable pour {country} (KvK : 8 chiffres ; BCE : 10 chiffres).",
    "duplicate_site_name": "Chaque site doit avoir son propre nom.",
    "duplicate_work_kind": "Chaque type de travail ne peut figurer qu’une fois.",
    "site_location_required": "Indiquez un code postal, une localité ou des coordonnées.",
    "unknown_site": "Il n’y a pas de site nommé « {value} ».",
    "site_in_use": "Le site « {site} » est encore utilisé pour {work_kind}.",
    "lat_lon_together": "Indiquez à la fois la latitude et la longitude.",
    "unknown_work_kind": "Nous ne connaissons pas ce type de travail : « {value} ».",
    "work_kind_is_group":
        "« {value} » est un groupe ; choisissez les types de travail qu’il contient.",
    "unknown_certification": "Nous ne connaissons pas cette certification : « {value} ».",
    "location_form": "Indiquez un code postal, une localité, ou une latitude et une longitude.",
    "needs_location": "Une distance maximale demande un lieu.",
    "unknown_place": "Nous ne connaissons pas cette localité : « {value} ».",
    "unknown_postcode": "Nous ne connaissons pas ce code postal : « {value} ».",
    "ambiguous_place": "« {value} » peut désigner plusieurs localités ; choisissez-en une.",
    "wrong_country":
        "« {value} » ne se trouve pas en {country} ; pensiez-vous à une autre localité ?",
    "unknown_country": "Choisissez les Pays-Bas (NL) ou la Belgique (BE).",
    "unknown_region_id": "Nous ne connaissons pas cette région : « {value} ».",
    "not_for_this_role": "Ceci ne convient pas à ce rôle.",
    "unknown_account": "Ce compte n’existe pas pour ce rôle.",
    "not_invited": "Cette entreprise n’a pas été invitée à cet appel.",
    "bad_cursor": "Indiquez un horodatage avec fuseau horaire ou un curseur issu de next_cursor.",
    "not_wider": "Cela n’élargirait pas l’appel : choisissez une distance plus grande ou un "
                 "groupe.",
    "account_exists": "Cette adresse e-mail a déjà un compte ; connectez-vous avec celle-ci.",
    "year_in_future": "Cette année est trop éloignée dans le futur.",
    "required_to_submit": "Remplissez ceci avant de soumettre le cas.",
    "unknown_request": "Indiquez une demande à laquelle vous avez participé.",
    "csrf_failed": "Cette page a expiré ; rechargez-la et réessayez.",
    "link_expired": "Ce lien a expiré ou a déjà été utilisé ; demandez-en un nouveau.",
    "needs_both_directions": "Un partenariat à part entière indique ce qui circule dans les "
                             "deux sens.",
    "offer_required": "Indiquez au moins une chose que vous proposez.",
    "one_member": "Choisissez une entreprise ou une organisation.",
    "unknown_company": "Nous ne connaissons pas cette entreprise.",
    "unknown_organisation": "Nous ne connaissons pas cette organisation.",
    "not_chosen": "Cette entreprise n’a pas été retenue dans le résultat de cet appel.",
    "unknown_flow": "Nous ne connaissons pas « {value} » comme {facet}.",
    "social_return_form": "Indiquez une valeur de marché avec un pourcentage, ou un montant.",
    "unknown_region": "Nous n’avons pas de règles de calcul pour cette région : « {value} ».",
}

# Codes that name a whole problem rather than one field.
PROBLEM_CODES: Final[frozenset[str]] = frozenset({"csrf_failed", "link_expired"})

ALL_CODES: Final[tuple[str, ...]] = get_args(ErrorCode)
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def template(code: str, lang: str) -> str:
    """The template of `code` in `lang` (nl, en or fr; English for another language, and for
    a French template not written yet); the one of `invalid` for an unknown code."""
    if code not in TEMPLATES:
        code = "invalid"
    nl, en = TEMPLATES[code]
    if lang == "fr":
        return TEMPLATES_FR.get(code, en)
    return nl if lang == "nl" else en


def placeholders(code: str) -> set[str]:
    """The params a code's templates name (the same in every language)."""
    return {name for lang in LANGUAGES for name in _PLACEHOLDER.findall(template(code, lang))}


def render(code: str, params: Mapping[str, object], lang: str) -> str:
    """The sentence for `code` in `lang`, numbers written the reader's way (5.000, 5,000,
    5 000); unknown placeholders stay."""

    def fill(match: re.Match[str]) -> str:
        if match.group(1) not in params:
            return match.group(0)
        value = params[match.group(1)]
        if isinstance(value, int | float) and not isinstance(value, bool):
            return number(value, lang, 0 if isinstance(value, int) else 2, trim=True)
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return str(value)

    return _PLACEHOLDER.sub(fill, template(code, lang))


# --------------------------------------------------------------------------- from Pydantic

_PYDANTIC: Final[dict[str, str]] = {
    "missing": "required", "extra_forbidden": "unknown_field", "json_invalid": "invalid_json",
    "literal_error": "not_allowed", "enum": "not_allowed",
    "string_type": "not_text", "string_unicode": "not_text", "string_sub_type": "not_text",
    "int_type": "not_integer", "int_parsing": "not_integer", "int_from_float": "not_integer",
    "int_parsing_size": "too_large",
    "float_type": "not_number", "float_parsing": "not_number", "finite_number": "not_number",
    "decimal_type": "not_number", "decimal_parsing": "not_number",
    "bool_type": "not_boolean", "bool_parsing": "not_boolean",
    "list_type": "not_list", "tuple_type": "not_list", "set_type": "not_list",
    "dict_type": "not_object", "model_type": "not_object", "model_attributes_type": "not_object",
    "date_type": "not_date", "date_parsing": "not_date", "date_from_datetime_parsing": "not_date",
    "date_from_datetime_inexact": "not_date",
    "datetime_type": "not_datetime", "datetime_parsing": "not_datetime",
    "datetime_from_date_parsing": "not_datetime", "datetime_object_invalid": "not_datetime",
    "timezone_aware": "needs_timezone",
    "uuid_type": "not_uuid", "uuid_parsing": "not_uuid", "uuid_version": "not_uuid",
    "string_pattern_mismatch": "bad_format",
    "greater_than_equal": "too_small", "less_than_equal": "too_large",
    "greater_than": "must_be_above", "less_than": "must_be_below",
    "string_too_short": "too_short", "string_too_long": "too_long",
    "too_short": "too_few", "too_long": "too_many",
    "url_type": "invalid_url", "url_parsing": "invalid_url", "url_scheme": "invalid_url",
    "url_syntax_violation": "invalid_url", "url_too_long": "invalid_url",
    "string_unstorable": "unstorable_text",
}  # fmt: skip
# Pydantic's context keys -> ours.
_PARAMS: Final[dict[str, str]] = {
    "ge": "min", "gt": "min", "le": "max", "lt": "max", "min_length": "min_length",
    "max_length": "max_length", "pattern": "pattern", "expected": "expected",
}


def from_pydantic(
    type_: str, ctx: dict[str, object] | None, message: str
) -> tuple[str, dict[str, object]]:
    """(code, params) for one Pydantic error. Our own validators raise PydanticCustomError
    with one of our codes as its type and the params as its context; those pass through."""
    ctx = ctx or {}
    code = _PYDANTIC.get(type_)
    if code is None and type_ in TEMPLATES:
        return type_, {k: _plain(v) for k, v in ctx.items()}
    if code is None:
        # email-validator's refusals arrive as plain value errors.
        code = "invalid_email" if "email address" in message else "invalid"
    params = {_PARAMS[k]: _plain(v) for k, v in ctx.items() if k in _PARAMS}
    if code == "too_short" and params.get("min_length") == 1:
        code, params = "required", {}
    return code, params


def is_own_code(type_: str) -> bool:
    """A type that is one of our codes (raised by our validators), not one of Pydantic's."""
    return type_ in TEMPLATES and type_ not in _PYDANTIC


def _plain(value: object) -> object:
    """A JSON-safe param: numbers, strings, booleans and lists of them stay; others become text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
