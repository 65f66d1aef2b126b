"""Demo cases: twelve published good practices across kinds of work and regions (NL and BE),
mostly in Dutch, and one draft by the demo company member (bedrijf@loket.example). All
organisations and people are invented; links go to example.org. Each case names the demo
company nearest to its place that offers its kind of work, so the cases show on company
profiles and in match answers."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role
from app.cases import service
from app.cases.schemas import CaseCreate
from app.geo.distance import haversine_km
from app.geo.places import resolve
from app.models import Capability, Case, Company, Site, User

LOADER = Principal(key_id=uuid.UUID(int=0), role=Role.admin, name="Loket redactie")

# fmt: off
CASES: list[dict[str, Any]] = [
    {
        "title": "Notitieboekjes van gerecycled papier, ingepakt in Tilburg",
        "summary": "Een jonge webwinkel in duurzame kantoorartikelen besteedde het binden en "
                   "verpakken van 40.000 notitieboekjes per jaar uit aan een SW-bedrijf.",
        "story": "## Aanleiding\n\nDe oprichters deden alles zelf aan de keukentafel, tot de "
                 "bestellingen verdubbelden. Via een oproep op Loket reageerden drie bedrijven "
                 "binnen een week.\n\n## Aanpak\n\n- Een proefserie van **500 stuks** om de "
                 "werkinstructie te toetsen\n- Een vaste ploeg van zes medewerkers met een "
                 "werkleider\n- Wekelijkse ophaalronde door de vervoerder van de webwinkel\n\n"
                 "## Wat het opleverde\n\nDe levertijd ging van tien naar drie werkdagen.",
        "work_kinds": ["packaging", "printing-binding"], "place": "Tilburg", "country": "NL",
        "region": "NL-NB", "year_started": 2023, "target_group_jobs": 6, "volume": 40000,
        "volume_unit": "notitieboekjes per jaar", "duration_months": 30,
        "resources": "Een werkleider, een snijmachine en 40 m² opslag; de webwinkel levert "
                     "papier en omslagen.",
        "results": "Zes vaste plekken voor mensen met een afstand tot de arbeidsmarkt; minder "
                   "dan 0,5% retouren.",
        "lessons": "Begin met een proefserie en schrijf de werkinstructie samen met de ploeg.",
        "transfer": "Past bij elke webwinkel met een klein, stabiel assortiment.",
        "partners": ["Papierwerk Webwinkel BV", "Gemeente Tilburg"],
        "links": [{"title": "Verslag van de proefserie", "url": "https://papierwerk.example.org/proef"}],
        "contact": {"name": "Femke Janssen", "role": "oprichter", "consent": True},
    },
    {
        "title": "Groenonderhoud van bedrijventerreinen rond Gent",
        "summary": "Een parkmanagementvereniging liet het groen van vier bedrijventerreinen "
                   "onderhouden door een maatwerkbedrijf, met vaste ploegen per terrein.",
        "story": "Vier bedrijventerreinen, elk met een eigen beheerder, wilden één partner "
                 "voor maaien, snoeien en zwerfvuil.\n\nHet maatwerkbedrijf zette per terrein "
                 "een vaste ploeg in, zodat de bedrijven de mensen leren kennen. Het "
                 "beheerplan is ecologisch: gefaseerd maaien en bloemrijke bermen.",
        "work_kinds": ["green-maintenance", "waste-sorting"], "place": "Gent", "country": "BE",
        "region": "BE-VOV", "year_started": 2022, "target_group_jobs": 14, "volume": 38,
        "volume_unit": "hectare", "duration_months": 36,
        "resources": "Twee ploegen met eigen maaimachines; een aanspreekpunt bij de vereniging.",
        "results": "Veertien doelgroepwerknemers aan de slag; de bedrijven gaven het groen een "
                   "8,1.",
        "lessons": "Vaste ploegen per terrein maken het verschil in betrokkenheid.",
        "transfer": "Elk parkmanagement of elke ondernemersvereniging kan dit overnemen.",
        "partners": ["Parkmanagement Gent-Zuid vzw"],
        "links": [],
        "contact": {"name": "Pieter De Smet", "role": "parkmanager", "consent": True},
    },
    {
        "title": "Kabelbomen voor laadpalen uit Eindhoven",
        "summary": "Een start-up die laadpalen bouwt liet de kabelconfectie en assemblage "
                   "van subassemblages doen door een SW-bedrijf met elektronica-ervaring.",
        "story": "De start-up had een flexibele productiepartner nodig voor series van 50 tot "
                 "500 stuks. Het SW-bedrijf kreeg een IPC-opleiding voor zijn medewerkers "
                 "en werkt met visuele werkinstructies.\n\n> \"Ze denken mee over het "
                 "ontwerp, dat hadden we niet verwacht.\"",
        "work_kinds": ["electronics-assembly", "assembly"], "place": "Eindhoven",
        "country": "NL", "region": "NL-NB", "year_started": 2024, "target_group_jobs": 9,
        "volume": 3200, "volume_unit": "kabelbomen", "duration_months": 18,
        "resources": "Opleiding IPC/WHMA-A-620, een testopstelling van de start-up.",
        "results": "Foutpercentage onder 0,3%; negen medewerkers met een erkend certificaat.",
        "lessons": "Investeer vooraf in opleiding; het betaalt zich terug in kwaliteit.",
        "transfer": "Voor hardware-start-ups die kleine series willen opschalen.",
        "partners": ["Laadwerk BV", "Brainport Development"],
        "links": [{"title": "Laadwerk", "url": "https://laadwerk.example.org"}],
        "contact": {"name": "Ahmed El Amrani", "role": "operations", "consent": True},
    },
    {
        "title": "Textielinzameling en -sortering in Groningen",
        "summary": "Gemeente, kringloop en SW-bedrijf sorteren samen ingezameld textiel voor "
                   "hergebruik en recycling.",
        "story": "Het ingezamelde textiel werd ongesorteerd verkocht. Nu sorteert het "
                 "SW-bedrijf op 40 fracties; het beste gaat naar de kringloopwinkels, de rest "
                 "naar een vezelrecycler.",
        "work_kinds": ["textile-recycling", "sorting-inspection"], "place": "Groningen",
        "country": "NL", "region": "NL-GR", "year_started": 2021, "target_group_jobs": 22,
        "volume": 1100, "volume_unit": "ton textiel per jaar", "duration_months": 48,
        "resources": "Sorteerhal van 1.200 m², sorteertafels en balenpers.",
        "results": "65% hergebruik; 22 banen; de gemeente bespaart op verwerking.",
        "lessons": "Afspraken over kwaliteit van de inzameling zijn de sleutel.",
        "transfer": "Voor elke gemeente met een eigen textielinzameling.",
        "partners": ["Gemeente Groningen", "Kringloop Stad en Ommeland"],
        "links": [],
        "contact": {"name": "Marieke Bos", "role": "projectleider", "consent": True},
    },
    {
        "title": "Digitaliseren van een bouwarchief in Antwerpen",
        "summary": "Een architectenbureau liet 60 jaar bouwdossiers scannen en indexeren door "
                   "een maatwerkbedrijf.",
        "story": "Zestig jaar plannen op papier, tot A0. Het maatwerkbedrijf scande op locatie "
                 "en indexeerde per dossier, met een dubbele controle op leesbaarheid.",
        "work_kinds": ["document-digitization", "administration"], "place": "Antwerpen",
        "country": "BE", "region": "BE-VAN", "year_started": 2023, "target_group_jobs": 5,
        "volume": 210000, "volume_unit": "pagina's", "duration_months": 9,
        "resources": "Een grootformaatscanner en een beveiligde werkplek.",
        "results": "Het hele archief doorzoekbaar; vijf medewerkers doorgestroomd naar vast werk.",
        "lessons": "Scan op locatie als de stukken het pand niet mogen verlaten.",
        "transfer": "Voor bureaus, gemeenten en verenigingen met papieren archieven.",
        "partners": ["Atelier Noord Architecten"],
        "links": [],
        "contact": {"name": "Lotte Peeters", "role": "office manager", "consent": True},
    },
    {
        "title": "Fietsherstel voor deelfietsen in Utrecht",
        "summary": "Een deelfietsaanbieder laat onderhoud en reparatie van 1.500 fietsen doen "
                   "in een werkplaats van het SW-bedrijf.",
        "story": "Fietsen die stuk gemeld worden, haalt een bakfiets op. In de werkplaats "
                 "leren medewerkers het vak met een erkende opleiding tot fietstechnicus.",
        "work_kinds": ["bicycle-repair", "transport"], "place": "Utrecht", "country": "NL",
        "region": "NL-UT", "year_started": 2022, "target_group_jobs": 11, "volume": 1500,
        "volume_unit": "deelfietsen", "duration_months": 24,
        "resources": "Werkplaats, bakfietsen, een leermeester.",
        "results": "Gemiddeld 2 dagen tot een fiets weer rijdt; 4 diploma's fietstechnicus.",
        "lessons": "Een erkende opleiding maakt het werk aantrekkelijk.",
        "transfer": "Voor deelvervoer en leasefietsen in elke stad.",
        "partners": ["Deelfiets Utrecht BV", "Mobiliteitsfonds"],
        "links": [],
        "contact": {"name": "Joost van Dam", "role": "vlootbeheerder", "consent": True},
    },
    {
        "title": "Catering voor een zorginstelling in Hasselt",
        "summary": "Een woonzorgcentrum besteedde de broodmaaltijden en de cafetaria uit aan "
                   "een maatwerkbedrijf.",
        "story": "Het maatwerkbedrijf bereidt dagelijks 400 broodmaaltijden en runt de "
                 "cafetaria, waar bewoners en medewerkers elkaar ontmoeten.",
        "work_kinds": ["catering", "food-processing"], "place": "Hasselt", "country": "BE",
        "region": "BE-VLI", "year_started": 2020, "target_group_jobs": 8, "volume": 400,
        "volume_unit": "maaltijden per dag", "duration_months": 60,
        "resources": "Keuken met HACCP-certificaat, een chef-kok als begeleider.",
        "results": "Hogere tevredenheid van bewoners; acht vaste banen.",
        "lessons": "Zet de cafetaria midden in het huis: het wordt een ontmoetingsplek.",
        "transfer": "Voor woonzorgcentra, scholen en bedrijfsrestaurants.",
        "partners": ["Woonzorgcentrum De Linde"],
        "links": [],
        "contact": {"name": "An Claes", "role": "directeur", "consent": True},
    },
    {
        "title": "Assembling flat-pack furniture for a Rotterdam start-up",
        "summary": "A circular furniture start-up has its refurbished desks and shelves "
                   "assembled and packed by a sheltered-work company in Rotterdam.",
        "story": "The start-up buys used office furniture, refurbishes it and sells it "
                 "flat-packed. The sheltered-work company sands, repairs, assembles and packs. "
                 "Work instructions are visual, so language is no barrier.",
        "work_kinds": ["furniture-refurbishing", "assembly", "packaging"],
        "place": "Rotterdam", "country": "NL", "region": "NL-ZH", "year_started": 2024,
        "target_group_jobs": 7, "volume": 2600, "volume_unit": "pieces of furniture",
        "duration_months": 14,
        "resources": "A workshop with dust extraction; the start-up supplies parts.",
        "results": "Seven jobs; 60 tonnes of furniture kept from the incinerator.",
        "lessons": "Agree on quality grades with photos, not words.",
        "transfer": "Fits any reuse business with hands-on work.",
        "partners": ["Tweede Bureau BV"],
        "links": [{"title": "Tweede Bureau", "url": "https://tweedebureau.example.org"}],
        "contact": {"name": "Mila Verbeek", "role": "co-founder", "consent": True},
    },
    {
        "title": "Schoonmaak van gemeentelijke gebouwen in Zwolle",
        "summary": "De gemeente gunde de schoonmaak van twaalf gebouwen via een voorbehouden "
                   "opdracht aan het SW-bedrijf.",
        "story": "Met een voorbehouden opdracht (artikel 2.82 Aanbestedingswet) bleef het werk "
                 "in de regio. Ploegen werken overdag, zodat medewerkers en gebruikers elkaar "
                 "zien.",
        "work_kinds": ["cleaning"], "place": "Zwolle", "country": "NL", "region": "NL-OV",
        "year_started": 2021, "target_group_jobs": 31, "volume": 12, "volume_unit": "gebouwen",
        "duration_months": 48,
        "resources": "Dagschoonmaak; materieel van het SW-bedrijf.",
        "results": "31 banen; minder ziekteverzuim dan bij nachtschoonmaak.",
        "lessons": "Dagschoonmaak maakt het werk zichtbaar en gewaardeerd.",
        "transfer": "Elke overheid kan voorbehouden opdrachten gebruiken.",
        "partners": ["Gemeente Zwolle"],
        "links": [],
        "contact": {"name": "Erik Mulder", "role": "inkoper", "consent": True},
    },
    {
        "title": "Orderverwerking voor een webwinkel in thee, Nijmegen",
        "summary": "Een theewebwinkel verhuisde zijn voorraad en orderverwerking naar het "
                   "magazijn van een SW-bedrijf.",
        "story": "Orders komen via een koppeling binnen en gaan dezelfde dag de deur uit. Het "
                 "SW-bedrijf doet ook de retouren en het ompakken voor de feestdagen.",
        "work_kinds": ["order-fulfilment", "warehousing", "packaging"], "place": "Nijmegen",
        "country": "NL", "region": "NL-GE", "year_started": 2023, "target_group_jobs": 4,
        "volume": 52000, "volume_unit": "orders per jaar", "duration_months": 20,
        "resources": "Een koppeling met de webwinkel; 120 palletplaatsen.",
        "results": "99,6% van de orders op dezelfde dag verzonden.",
        "lessons": "Plan de piek in december een half jaar vooruit.",
        "transfer": "Voor webwinkels die groeien maar geen eigen magazijn willen.",
        "partners": ["Theehuis Online"],
        "links": [],
        "contact": {"name": "Sophie Hendriks", "role": "eigenaar", "consent": False},
    },
    {
        "title": "Demontage van afgedankte laptops in Leuven",
        "summary": "Een IT-refurbisher laat laptops die niet meer te herstellen zijn "
                   "demonteren en sorteren op grondstof.",
        "story": "Wat niet te herstellen is, wordt uit elkaar gehaald: batterijen, printplaten, "
                 "aluminium en kunststof apart. Gegevensdragers worden gecertificeerd vernietigd.",
        "work_kinds": ["electronics-recycling", "sorting-inspection"], "place": "Leuven",
        "country": "BE", "region": "BE-VBR", "year_started": 2022, "target_group_jobs": 6,
        "volume": 18000, "volume_unit": "laptops", "duration_months": 30,
        "resources": "Een ESD-werkplaats en een contract met een erkende verwerker.",
        "results": "92% van het gewicht gaat naar recycling; zes banen.",
        "lessons": "Veiligheid met batterijen vraagt een strikte werkwijze en opleiding.",
        "transfer": "Voor elke refurbisher of IT-afdeling met afgeschreven apparatuur.",
        "partners": ["Refurb Vlaanderen", "Recupel"],
        "links": [],
        "contact": {"name": "Tom Maes", "role": "zaakvoerder", "consent": True},
    },
    {
        "title": "Klantcontact voor een energiecoöperatie in Amersfoort",
        "summary": "Een energiecoöperatie liet haar telefoon en mail beantwoorden door het "
                   "klantcontactcentrum van een SW-bedrijf.",
        "story": "Leden bellen met vragen over hun rekening en zonnepanelen. Medewerkers "
                 "kregen een training van de coöperatie en hebben een kennisbank.",
        "work_kinds": ["customer-contact"], "place": "Amersfoort", "country": "NL",
        "region": "NL-UT", "year_started": 2024, "target_group_jobs": 5, "volume": 9000,
        "volume_unit": "gesprekken per jaar", "duration_months": 12,
        "resources": "Een kennisbank en een maandelijks overleg.",
        "results": "Leden waarderen het contact met een 8,4.",
        "lessons": "Een goede kennisbank is het halve werk.",
        "transfer": "Voor coöperaties en verenigingen met veel leden.",
        "partners": ["Energiecoöperatie Eemland"],
        "links": [],
        "contact": {"name": "Ruud de Graaf", "role": "bestuurslid", "consent": True},
    },
]

DRAFT: dict[str, Any] = {
    "title": "Verpakken van relatiegeschenken voor de feestdagen",
    "summary": "Elk najaar pakken we 8.000 kerstpakketten in voor drie bedrijven.",
    "story": "Nog in te vullen: hoe het begon en wat we leerden.",
    "work_kinds": ["packaging"], "year_started": 2025,
}
# fmt: on


def _companies_for(session: Session, spec: dict[str, Any]) -> list[uuid.UUID]:
    """The active demo company nearest to the place that offers one of the case's kinds."""
    found = resolve(place=spec["place"], country=spec["country"])
    rows = session.execute(
        select(Site.company_id, Site.lat, Site.lon)
        .join(Company, Company.id == Site.company_id)
        .join(Capability, Capability.company_id == Company.id)
        .where(Company.status == "active", Site.country == spec["country"],
               Capability.work_kind_code.in_(spec["work_kinds"]))
    ).all()
    if not rows:
        return []
    nearest = min(rows, key=lambda r: (haversine_km(found.lat, found.lon, r.lat, r.lon),
                                       r.company_id))
    return [nearest.company_id]


def load_demo_cases(session: Session) -> int:
    """Add the demo cases that are not there yet (by title); how many were added."""
    present = set(session.scalars(select(Case.title)))
    added = 0
    for spec in CASES:
        if spec["title"] in present:
            continue
        body = CaseCreate.model_validate({**spec, "company_ids": _companies_for(session, spec)})
        case = service.create_case(session, body, LOADER)
        service.publish(session, case.id, LOADER)
        added += 1
    member = session.scalars(select(User).where(User.email == "bedrijf@loket.example")).first()
    if DRAFT["title"] not in present and member is not None and member.company_id is not None:
        author = Principal(key_id=member.id, role=Role.company, name=member.name,
                           company_id=member.company_id, owner_id=member.company_id,
                           user_id=member.id)
        service.create_case(session, CaseCreate.model_validate(DRAFT), author)
        added += 1
    session.flush()
    return added
