"""Realistic, fictional demo companies: Dutch SW-bedrijven and Flemish maatwerkbedrijven.

``demo_companies(seed)`` returns company profile bodies as accepted by ``POST /v1/companies``
plus a ``status``. Everything comes from the tables below and one seeded ``random.Random``, so
the same seed always gives the same output (the demo loader keys on the registration number).

All names, numbers and people are invented. Mail and web addresses live under ``example.org``
(reserved by RFC 2606), so no real mailbox or site is ever reached.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.demo.procurement import add_procurement_facts
from app.demo.towns import TOWNS, Town

DEMO_DOMAIN = "example.org"
DEFAULT_SEED = 2026


@dataclass(frozen=True)
class Archetype:
    """A kind of sheltered-work company: what it does and how it is named."""

    key: str
    core: tuple[str, ...]  # always offered
    extra: tuple[str, ...]  # a sample of these is added
    kinds: tuple[int, int]  # total number of kinds, inclusive range
    names_nl: tuple[str, ...]  # patterns with {region}, {town}, {word}
    names_be: tuple[str, ...]
    capacity_median: int
    radii: tuple[int, ...]  # service radius choices (km); repeats act as weights
    site_label: str  # name of an extra site: "<label> <town>"


# The data tables below are laid out by hand for reading; the formatter leaves them alone.
# fmt: off

# --- taxonomy (kind codes of the seeded starting taxonomy, with their NL labels) --------------

WORK_KIND_LABELS: dict[str, str] = {
    "assembly": "assemblage & montage",
    "packaging": "verpakken",
    "small-series-production": "kleinschalige serieproductie",
    "woodworking": "houtbewerking",
    "metalworking": "metaalbewerking",
    "textile-sewing": "naaiwerk",
    "printing-binding": "drukwerk & binderij",
    "electronics-assembly": "elektronica-assemblage & kabelconfectie",
    "food-processing": "voedselverwerking",
    "sorting-inspection": "sorteren & controleren",
    "cleaning": "schoonmaak",
    "green-maintenance": "groenonderhoud",
    "catering": "catering",
    "laundry": "wasserij",
    "reception": "receptie & toezicht",
    "warehousing": "opslag",
    "order-fulfilment": "orderverwerking & fulfilment",
    "mail-handling": "postverwerking",
    "transport": "transport & koeriersdienst",
    "moving": "verhuizingen",
    "textile-recycling": "textielrecycling",
    "electronics-recycling": "elektronica-demontage",
    "reuse-shop": "kringloop",
    "bicycle-repair": "fietsherstel",
    "furniture-refurbishing": "meubelrenovatie",
    "waste-sorting": "afvalsortering",
    "document-digitization": "digitaliseren & scannen",
    "administration": "administratieve ondersteuning",
    "customer-contact": "klantcontact",
    "hr-services": "HR-advies & opleiding",
    "ict-services": "ICT-diensten",
    "renovation": "renovatie",
    "painting": "schilderwerk",
    "maintenance-repair": "onderhoud & klusdiensten",
    "individual-secondment": "individuele detachering",
    "group-secondment": "groepsdetachering",
}
KIND_ORDER: dict[str, int] = {code: i for i, code in enumerate(WORK_KIND_LABELS)}
CERTIFICATIONS: tuple[str, ...] = (
    "iso-9001", "iso-14001", "iso-27001", "pso", "haccp", "brcgs", "vca", "fsc",
)

# --- company archetypes ------------------------------------------------------------------------

ARCHETYPES: dict[str, Archetype] = {
    a.key: a
    for a in (
        Archetype(
            key="broad",
            core=("assembly", "packaging"),
            extra=(
                "sorting-inspection", "green-maintenance", "cleaning", "individual-secondment",
                "group-secondment", "warehousing", "order-fulfilment", "reuse-shop", "catering",
                "reception", "mail-handling", "document-digitization", "hr-services", "laundry",
                "renovation", "painting",
            ),
            kinds=(5, 8),
            names_nl=(
                "Werkbedrijf {region}", "Werkpunt {region}", "Werkhaven {town}",
                "Sociaal Werkbedrijf {town}", "Werkbaan {region}", "Werkkracht {region}",
            ),
            names_be=(
                "Maatwerkbedrijf {word}", "Maatwerk {region}", "{word} Maatwerk",
                "Maatwerkbedrijf {region}",
            ),
            capacity_median=14,
            radii=(30, 40, 40, 50, 50, 50, 60, 75),
            site_label="Vestiging",
        ),
        Archetype(
            key="production",
            core=("assembly", "packaging", "sorting-inspection"),
            extra=(
                "small-series-production", "metalworking", "woodworking", "electronics-assembly",
                "order-fulfilment", "warehousing",
            ),
            kinds=(3, 6),
            names_nl=(
                "Maakwerk {region}", "Productiehuis {region}", "Montagehuis {town}",
                "Industriële Werkplaats {region}", "Maakbedrijf {town}", "Fabriekswerk {region}",
                "Assemblagebedrijf {region}",
            ),
            names_be=(
                "Werkplaats {word}", "{word} Productie", "Maakplaats {region}",
                "Montageatelier {town}",
            ),
            capacity_median=11,
            radii=(30, 40, 50, 50, 60, 75, 100),
            site_label="Productielocatie",
        ),
        Archetype(
            key="green",
            core=("green-maintenance",),
            extra=(
                "cleaning", "maintenance-repair", "painting", "reception", "group-secondment",
                "waste-sorting",
            ),
            kinds=(2, 5),
            names_nl=(
                "Groenwerk {region}", "Groen & Schoon {region}", "Buitenwerk {region}",
                "Groenploeg {town}",
            ),
            names_be=(
                "Groenwerk {region}", "Groenzorg {region}", "Buitenploeg {region}",
                "{word} Groen",
            ),
            capacity_median=12,
            radii=(15, 20, 25, 30, 30, 35, 40, 40, 50),
            site_label="Groenbasis",
        ),
        Archetype(
            key="logistics",
            core=("warehousing", "order-fulfilment"),
            extra=("packaging", "mail-handling", "transport", "moving", "sorting-inspection"),
            kinds=(3, 6),
            names_nl=(
                "Logistiek Werkcentrum {region}", "Pakhuis {region}", "Orderwerk {region}",
                "Fulfilmentwerk {town}",
            ),
            names_be=(
                "Logistiek {word}", "Werkhaven {region}", "Pakhuis {region}",
                "Logistiek Centrum {town}",
            ),
            capacity_median=14,
            radii=(40, 50, 50, 60, 75, 100, 100),
            site_label="Distributiecentrum",
        ),
        Archetype(
            key="circular",
            core=("reuse-shop",),
            extra=(
                "textile-recycling", "electronics-recycling", "bicycle-repair",
                "furniture-refurbishing", "waste-sorting", "moving", "transport",
            ),
            kinds=(3, 6),
            names_nl=(
                "Kringwerk {region}", "Tweede Ronde {town}", "Hergebruikhuis {region}",
                "Circulair Werkbedrijf {region}",
            ),
            names_be=(
                "Hergebruikcentrum {region}", "Tweede Kans {town}", "Kringwerk {region}",
                "{word} Circulair",
            ),
            capacity_median=10,
            radii=(20, 25, 30, 30, 40, 40, 50),
            site_label="Kringloopwinkel",
        ),
        Archetype(
            key="business",
            core=("document-digitization", "administration"),
            extra=(
                "customer-contact", "mail-handling", "ict-services", "hr-services", "reception",
            ),
            kinds=(2, 5),
            names_nl=(
                "Digiwerk {region}", "Scanhuis {town}", "Backoffice {region}",
                "Dienstwerk {region}",
            ),
            names_be=("Dienstencentrum {word}", "Backoffice {region}", "Scanatelier {town}"),
            capacity_median=8,
            radii=(30, 40, 50, 60, 75, 100),
            site_label="Kantoor",
        ),
        Archetype(
            key="food",
            core=("food-processing", "packaging"),
            extra=(
                "sorting-inspection", "catering", "warehousing", "cleaning", "order-fulfilment",
            ),
            kinds=(3, 5),
            names_nl=("Voedselwerkplaats {region}", "Foodwerk {region}", "Smaakwerk {town}"),
            names_be=("Keuken {word}", "Voedselatelier {region}", "Smaakmakers {town}"),
            capacity_median=14,
            radii=(30, 40, 50, 50, 60, 75),
            site_label="Productiekeuken",
        ),
        Archetype(
            key="print",
            core=("printing-binding",),
            extra=("packaging", "mail-handling", "document-digitization", "assembly"),
            kinds=(2, 4),
            names_nl=("Drukwerkplaats {town}", "Binderij {region}", "Drukkerij {region}"),
            names_be=("Drukkerij {word}", "Drukwerkatelier {region}"),
            capacity_median=7,
            radii=(30, 40, 50, 60, 75),
            site_label="Drukkerij",
        ),
        Archetype(
            key="sewing",
            core=("textile-sewing",),
            extra=("textile-recycling", "laundry", "packaging", "assembly"),
            kinds=(2, 4),
            names_nl=("Naaiatelier {region}", "Stikwerk {town}", "Atelier {region}"),
            names_be=("Atelier {word}", "Naaiatelier {region}"),
            capacity_median=7,
            radii=(30, 40, 50, 60, 75),
            site_label="Atelier",
        ),
        Archetype(
            key="construction",
            core=("renovation", "painting"),
            extra=(
                "maintenance-repair", "woodworking", "green-maintenance", "moving", "metalworking",
            ),
            kinds=(2, 5),
            names_nl=("Bouwwerkplaats {region}", "Klusbedrijf {region}", "Renovatiewerk {town}"),
            names_be=("Renovatiewerk {region}", "Bouwploeg {word}", "Klusatelier {town}"),
            capacity_median=10,
            radii=(20, 25, 30, 35, 40, 40, 50),
            site_label="Werkplaats",
        ),
    )
}

# How often each archetype occurs per country (weights).
ARCHETYPE_WEIGHTS: dict[str, dict[str, int]] = {
    "NL": {
        "broad": 30, "production": 22, "green": 12, "logistics": 10, "circular": 8,
        "business": 6, "food": 6, "print": 3, "sewing": 3, "construction": 3,
    },
    "BE": {
        "broad": 25, "green": 18, "production": 15, "construction": 10, "logistics": 10,
        "circular": 8, "food": 5, "business": 5, "print": 2, "sewing": 2,
    },
}

# Extra companies beyond one per town, for the larger towns.
EXTRA_COMPANIES: dict[str, int] = {
    "Amsterdam": 2, "Rotterdam": 2, "Den Haag": 1, "Utrecht": 2, "Eindhoven": 1, "Tilburg": 1,
    "Groningen": 1, "Breda": 1, "Nijmegen": 1, "Arnhem": 1, "Enschede": 1, "Apeldoorn": 1,
    "Zwolle": 1, "'s-Hertogenbosch": 1, "Almere": 1, "Maastricht": 1, "Leiden": 1,
    "Antwerpen": 3, "Gent": 3, "Brugge": 2, "Leuven": 2, "Hasselt": 2, "Kortrijk": 2,
    "Mechelen": 2, "Aalst": 2, "Genk": 2, "Sint-Niklaas": 2, "Roeselare": 1, "Turnhout": 1,
    "Geel": 1, "Oostende": 1, "Ieper": 1, "Dendermonde": 1, "Lokeren": 1, "Vilvoorde": 1,
    "Halle": 1, "Sint-Truiden": 1, "Beringen": 1, "Herentals": 1, "Tienen": 1,
}

# Invented Flemish-sounding names for {word}; each is used at most once.
BE_WORDS: tuple[str, ...] = (
    "De Draaischijf", "De Werkmolen", "Het Raderwerk", "De Kouter", "De Meersen", "De Vlechtwerf",
    "De Stapsteen", "Het Zaaigoed", "De Houtwal", "Het Spinnewiel", "De Looierij",
    "De Kantelbrug", "Het Tandwiel", "De Weefkam", "De Klaproos", "De Lindehoeve", "De Hooiberg",
    "De Wilgenrank", "De Knotwilg", "De Vlasbloem", "De Boomgaard", "Het Veer", "De Hefbrug",
    "Het Bijenhof", "De Wingerd", "De Zaailing", "Het Molenhuis", "De Zonnewijzer",
    "De Windroos", "Het Scharnier", "De Ploegschaar", "De Egge", "De Kettingbrug", "De Beiaard",
    "Het Lijnzaad", "De Schuifdeur", "De Notelaar", "Het Sluisje", "De Dorsvloer", "De Kruiwagen",
)

# --- people and places -------------------------------------------------------------------------

NL_FIRST_NAMES: tuple[str, ...] = (
    "Jeroen", "Marieke", "Sanne", "Bas", "Ingrid", "Mohamed", "Fatima", "Thijs", "Lotte", "Ruud",
    "Anouk", "Henk", "Esther", "Koen", "Ilse", "Wouter", "Nadia", "Joost", "Femke", "Martijn",
    "Yvonne", "Erik", "Sevda", "Pieter", "Linda", "Gert-Jan", "Annelies", "Dennis", "Hanneke",
    "Rik", "Yusuf", "Mirjam", "Niels", "Karin", "Sjoerd", "Wendy", "Arjen", "Saskia", "Hatice",
)
NL_SURNAMES: tuple[str, ...] = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit",
    "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
    "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok",
    "Verhoeven", "van der Linden", "Postma", "Kuipers", "Hoekstra", "Schouten", "Prins",
    "Huisman", "Ouali", "Yilmaz", "Timmermans", "Willemsen", "Veenstra", "Koster", "Bulut",
)
BE_FIRST_NAMES: tuple[str, ...] = (
    "An", "Pieter", "Els", "Joris", "Griet", "Wim", "Katrien", "Bart", "Sofie", "Tom",
    "Liesbeth", "Koen", "Nathalie", "Stijn", "Hilde", "Jens", "Lien", "Dirk", "Ann-Sophie",
    "Thomas", "Evelien", "Geert", "Sarah", "Kristof", "Inge", "Ruben", "Leen", "Bram",
    "Karolien", "Youssef", "Fien", "Nele", "Jan", "Veerle", "Kurt", "Hanne",
)
BE_SURNAMES: tuple[str, ...] = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Vermeulen", "Van den Broeck", "Hermans", "Aerts", "Pauwels", "Claeys", "Desmet",
    "Verhaeghe", "Vandenberghe", "De Clercq", "Lambrecht", "Van Damme", "Verstraete", "Martens",
    "Smets", "Van Dyck", "De Backer", "Coppens", "Vercammen", "Van Hecke", "Devos", "Michiels",
    "Bogaert", "El Amrani", "Vanhoutte", "Declercq",
)
ROLES: dict[str, tuple[str, ...]] = {
    "NL": (
        "accountmanager", "bedrijfsleider", "jobcoach", "directeur", "werkleider",
        "relatiebeheerder", "planner", "teamleider",
    ),
    "BE": (
        "accountmanager", "bedrijfsleider", "jobcoach", "directeur", "ploegbaas",
        "verantwoordelijke verkoop", "trajectbegeleider", "teamcoach",
    ),
}
FIRST_ROLES: tuple[str, ...] = ("accountmanager", "bedrijfsleider", "directeur")
STREETS: dict[str, tuple[str, ...]] = {
    "NL": (
        "Industrieweg", "Ambachtsweg", "Nijverheidsweg", "Edisonstraat", "Handelsweg",
        "Energieweg", "Transportweg", "Fabrieksstraat", "Havenweg", "Bedrijvenweg",
        "Ambachtstraat", "Marconistraat", "Nobelweg", "Celsiusweg",
    ),
    "BE": (
        "Industrielaan", "Nijverheidsstraat", "Ambachtenlaan", "Industriepark", "Fabrieksstraat",
        "Kanaaldijk", "Hoogveld", "Kouterstraat", "Zandstraat", "Industrieweg", "Ambachtsweg",
        "Europalaan", "Stationsstraat", "Meersstraat",
    ),
}

# --- texts ---------------------------------------------------------------------------------------

INTROS: dict[str, dict[str, tuple[str, ...]]] = {
    "NL": {
        "broad": (
            "{name} is het sociaal werkbedrijf voor {town} en omgeving, met ruim {staff} "
            "medewerkers van wie de meesten een afstand tot de arbeidsmarkt hebben.",
            "Als werkbedrijf van de gemeenten in {region} biedt {name} werk aan ruim {staff} "
            "mensen met een arbeidsbeperking.",
        ),
        "production": (
            "Productiebedrijf in {town} waar mensen met een arbeidsbeperking werken aan "
            "opdrachten voor de maakindustrie.",
            "{name} is een SW-bedrijf met een eigen productiehal in {town}.",
        ),
        "green": (
            "{name} onderhoudt met vaste ploegen het groen in {region}.",
            "Groen- en schoonmaakbedrijf in {town} dat werk biedt aan mensen met een "
            "afstand tot de arbeidsmarkt.",
        ),
        "logistics": (
            "Logistiek werkcentrum in {town} voor opslag, orderpicking en verzending.",
            "{name} verzorgt logistiek voor bedrijven en webwinkels in {region}.",
        ),
        "circular": (
            "{name} geeft spullen een tweede leven en mensen een nieuwe kans, vanuit {town}.",
            "Circulair werkbedrijf in {region}: inzamelen, sorteren, opknappen en verkopen.",
        ),
        "business": (
            "{name} doet administratief en digitaal werk voor bedrijven en overheden in "
            "{region}.",
            "Zakelijke dienstverlening vanuit {town}, uitgevoerd door mensen die extra "
            "begeleiding krijgen.",
        ),
        "food": (
            "{name} verwerkt en verpakt voedingsmiddelen in een eigen productieruimte in {town}.",
            "Voedselverwerking en catering in {region}, met medewerkers uit de doelgroep.",
        ),
        "print": (
            "{name} is een drukkerij en binderij in {town}, ook voor kleine oplages.",
            "Drukwerk en afwerking in {region}, gemaakt door mensen met een arbeidsbeperking.",
        ),
        "sewing": (
            "{name} is een naaiatelier in {town} voor kleine en middelgrote series.",
            "Ambachtelijk naaiatelier in {region} waar mensen met een beperking vakwerk leveren.",
        ),
        "construction": (
            "{name} voert renovatie- en schilderwerk uit in {region}.",
            "Klus- en renovatiebedrijf in {town} dat mensen opleidt in de bouw.",
        ),
    },
    "BE": {
        "broad": (
            "{name} is een maatwerkbedrijf in {region} met {staff} doelgroepwerknemers.",
            "Maatwerkbedrijf uit {town} dat werk op maat biedt aan {staff} mensen.",
        ),
        "production": (
            "{name} is een flexibele productiepartner in {town}, voor kleine en grotere series.",
            "Maatwerkbedrijf in {region} met een eigen productieatelier.",
        ),
        "green": (
            "{name} verzorgt groenonderhoud voor gemeenten en bedrijven in {region}.",
            "Maatwerkbedrijf in {town} met ploegen voor groen- en terreinonderhoud.",
        ),
        "logistics": (
            "{name} neemt opslag en logistieke ondersteuning uit handen, vanuit {town}.",
            "Logistiek maatwerkbedrijf in {region}.",
        ),
        "circular": (
            "{name} zamelt in, sorteert en herstelt in {region}.",
            "Circulair maatwerkbedrijf in {town} rond hergebruik en herstel.",
        ),
        "business": (
            "{name} biedt administratieve ondersteuning, HR-advies en opleiding in {region}.",
            "Dienstverlenend maatwerkbedrijf in {town}.",
        ),
        "food": (
            "{name} is een maatwerkbedrijf in {town} voor voedselverwerking en catering.",
            "Keuken en voedselverwerking in {region}, met doelgroepwerknemers.",
        ),
        "print": (
            "{name} is een drukkerij in {town} voor drukwerk en afwerking op maat.",
            "Maatwerkbedrijf in {region} voor drukwerk, mailings en kleine oplages.",
        ),
        "sewing": (
            "{name} is een naaiatelier in {town} voor stukwerk en kleine series.",
            "Maatwerkatelier in {region} voor naaiwerk en textielherstel.",
        ),
        "construction": (
            "{name} voert renovatie, schilderwerk en onderhoud uit in {region}.",
            "Maatwerkbedrijf in {town} met bouwploegen onder begeleiding van een ploegbaas.",
        ),
    },
}
OFFER_SENTENCES: tuple[str, ...] = (
    "Sterk in {kinds}.",
    "We bieden {kinds}.",
    "Opdrachtgevers vinden ons voor {kinds}.",
)
CLOSERS: dict[str, tuple[str, ...]] = {
    "NL": (
        "We zoeken langdurige samenwerking met ondernemers die sociaal willen ondernemen.",
        "Samen met andere werkbedrijven nemen we ook grotere opdrachten aan.",
        "Jobcoaches begeleiden elke ploeg op de werkvloer.",
        "Ook geschikt voor startups die klein willen beginnen en willen opschalen.",
        "Werken kan in onze eigen hal of op locatie bij de klant.",
    ),
    "BE": (
        "Wij geloven in duurzame partnerships die verder gaan dan klant en leverancier.",
        "Onze ploegen werken met vaste begeleiding, ook op locatie bij de klant.",
        "Een flexibele productiepartner voor startups en groeiende bedrijven.",
        "We bouwen liever aan enkele intense relaties dan aan twintig losse opdrachten.",
    ),
}
KIND_NOTES: dict[str, tuple[str, ...]] = {
    "assembly": (
        "Montage van kleine en middelgrote series, ook op locatie bij de klant.",
        "Ervaring met assemblage voor de maakindustrie.",
    ),
    "packaging": (
        "Handmatig verpakken, sealen en krimpen; van 100 tot 50.000 stuks.",
        "Flowpack- en krimpfolielijn aanwezig.",
    ),
    "small-series-production": ("Kleinschalige productie voor startups en makers.",),
    "woodworking": ("Eigen houtwerkplaats met CNC-frees.",),
    "metalworking": ("Lassen, zetten en knippen van plaatwerk tot 3 mm.",),
    "textile-sewing": ("Naaiatelier met industriële machines, ook voor kleine oplages.",),
    "printing-binding": ("Digitaal drukwerk, snijden, vouwen en inbinden.",),
    "electronics-assembly": ("Kabelconfectie en printplaatmontage op ESD-werkplekken.",),
    "food-processing": ("Werken in een gekoelde ruimte volgens HACCP.",),
    "sorting-inspection": ("Visuele controle en sorteren op specificatie van de klant.",),
    "cleaning": ("Schoonmaakploegen voor kantoren en bedrijfshallen.",),
    "green-maintenance": (
        "Eigen materieel; ploegen van vier tot zes medewerkers met een werkleider.",
        "Onderhoud van openbaar groen, bedrijfsterreinen en begraafplaatsen.",
    ),
    "catering": ("Bedrijfsrestaurant en lunchbezorging.",),
    "laundry": ("Wasserij voor zorginstellingen en horeca, met ophaaldienst.",),
    "reception": ("Receptie, parkeertoezicht en bodediensten.",),
    "warehousing": ("Magazijn van 3.000 m², deels geconditioneerd.",),
    "order-fulfilment": ("Pick & pack voor webwinkels.",),
    "mail-handling": ("Dagelijkse postverwerking, ook frankeren en mailings.",),
    "transport": ("Eigen bestelbussen voor koeriersritten in de regio.",),
    "moving": ("Kantoor- en woningverhuizingen met eigen verhuiswagen.",),
    "textile-recycling": ("Sorteren van ingezameld textiel op hergebruik en recycling.",),
    "electronics-recycling": ("Demontage van kleine elektrische apparaten.",),
    "reuse-shop": ("Kringloopwinkels met ophaaldienst.",),
    "bicycle-repair": ("Reparatie en opknappen van gebruikte fietsen.",),
    "furniture-refurbishing": ("Opknappen en herstofferen van kantoormeubilair.",),
    "waste-sorting": ("Nascheiding van bedrijfsafval.",),
    "document-digitization": ("Scannen van archieven, ook met vertrouwelijke stukken.",),
    "administration": ("Data-invoer en ondersteunende administratie.",),
    "customer-contact": ("Klantcontact per telefoon en e-mail.",),
    "hr-services": ("Opleiding en jobcoaching voor werkgevers die inclusief willen werven.",),
    "ict-services": ("Helpdesk, testen en herinstalleren van laptops.",),
    "renovation": ("Binnenrenovatie en kleine verbouwingen.",),
    "painting": ("Binnen- en buitenschilderwerk.",),
    "maintenance-repair": ("Klusdiensten en klein onderhoud aan gebouwen.",),
    "individual-secondment": ("Detachering van individuele medewerkers met een jobcoach.",),
    "group-secondment": ("Groepen van 4 tot 12 medewerkers met eigen werkleider bij de klant.",),
}

# Certifications: base odds per archetype, and odds that need a kind to make sense.
ISO_9001_ODDS: dict[str, float] = {
    "production": 0.55, "food": 0.5, "logistics": 0.5, "broad": 0.45, "business": 0.4,
    "print": 0.35, "sewing": 0.2,
}
SAFETY_KINDS = frozenset(
    {"renovation", "painting", "maintenance-repair", "metalworking", "transport", "moving",
     "green-maintenance"}
)
DATA_KINDS = frozenset({"document-digitization", "administration", "customer-contact",
                        "ict-services"})

# fmt: on

AVAILABLE_START = date(2026, 11, 1)
AVAILABLE_END = date(2027, 6, 30)
PENDING_SHARE = 0.05
INACTIVE_SHARE = 0.03
MULTI_SITE_SHARE = 0.25
JITTER_KM = 1.8
KM_PER_DEGREE = 111.32


# --- helpers -------------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def slugify(text: str) -> str:
    text = _ascii(text.replace("&", " en ")).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def be_enterprise_number(base8: int) -> str:
    """Belgian enterprise number: eight digits plus the mod-97 check digits."""
    return f"{base8:08d}{97 - base8 % 97:02d}"


def _phone(rng: random.Random, stem: str, length: int | None = None) -> str:
    """A full E.164 number from a stem; landlines: NL +31 and 9 digits, BE +32 and 8 digits."""
    if length is None:
        length = 12 if stem.startswith("+31") else 11
    return stem + "".join(str(rng.randrange(10)) for _ in range(length - len(stem)))


def _mobile(rng: random.Random, country: str) -> str:
    """NL 06-numbers (+31 6 and 8 digits), BE 047x/048x/049x (+32 4 and 8 digits)."""
    if country == "NL":
        return _phone(rng, "+316" + str(rng.randint(1, 5)), 12)
    return _phone(rng, "+324" + rng.choice("789"), 12)


def _jitter(rng: random.Random, town: Town) -> tuple[float, float]:
    angle = rng.uniform(0.0, 2 * math.pi)
    dist = JITTER_KM * math.sqrt(rng.random())
    dlat = dist * math.sin(angle) / KM_PER_DEGREE
    dlon = dist * math.cos(angle) / (KM_PER_DEGREE * math.cos(math.radians(town.lat)))
    return round(town.lat + dlat, 5), round(town.lon + dlon, 5)


def _label(kind: str) -> str:
    return WORK_KIND_LABELS[kind]


def _join_nl(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _neighbours(town: Town) -> list[Town]:
    """Other towns of the same country, nearest first (ties by name, for determinism)."""
    others = [t for t in TOWNS if t.country == town.country and t.name != town.name]
    return sorted(others, key=lambda t: (distance_km(town.lat, town.lon, t.lat, t.lon), t.name))


# --- the generator -------------------------------------------------------------------------------


class _Builder:
    def __init__(self, seed: int) -> None:
        # Not for security: a seeded generator so the demo data is reproducible.
        self.rng = random.Random(seed)  # noqa: S311
        self.names: set[str] = set()
        self.slugs: set[str] = set()
        self.kvk: set[str] = set()
        self.kbo: set[str] = set()
        self.be_words = list(BE_WORDS)
        self.rng.shuffle(self.be_words)

    # identity ------------------------------------------------------------------------------

    def _name(self, arch: Archetype, town: Town) -> str:
        patterns = list(arch.names_nl if town.country == "NL" else arch.names_be)
        self.rng.shuffle(patterns)
        for pattern in patterns:
            if "{word}" in pattern and not self.be_words:
                continue
            word = self.be_words[-1] if self.be_words else ""
            name = pattern.format(region=town.region, town=town.name, word=word)
            if name not in self.names and slugify(name) not in self.slugs:
                if "{word}" in pattern:
                    self.be_words.pop()
                return name
        # every pattern is taken: fall back to the region's pattern plus the town
        for pattern in patterns:
            if "{word}" in pattern:
                continue
            name = f"{pattern.format(region=town.region, town=town.name)} {town.name}"
            if name not in self.names and slugify(name) not in self.slugs:
                return name
        raise RuntimeError(f"no free company name for {town.name}")

    def _registration(self, country: str) -> dict[str, str]:
        rng = self.rng
        while True:
            if country == "NL":
                number = str(rng.randrange(10_000_000, 100_000_000))
                pool = self.kvk
            else:
                # Mostly older enterprises (0 4.., 0 8..); a few recent ones (1 ...).
                first = rng.choice((400_000_000, 400_000_000, 800_000_000, 1_000_000_000))
                base10 = first + rng.randrange(0, 100_000_000)
                number = be_enterprise_number(base10 // 100)
                pool = self.kbo
            if number not in pool:
                pool.add(number)
                return {"country": country, "number": number}

    # profile parts ---------------------------------------------------------------------------

    def _kinds(self, arch: Archetype, country: str) -> list[str]:
        rng = self.rng
        total = rng.randint(*arch.kinds)
        extra = list(arch.extra)
        # Flemish maatwerkbedrijven often sell HR advice and training too.
        flemish_hr = country == "BE" and arch.key in ("broad", "green", "construction")
        if flemish_hr and "hr-services" not in extra:
            extra.append("hr-services")
        chosen = list(arch.core)
        n_extra = max(0, min(total - len(chosen), len(extra)))
        chosen += rng.sample(extra, n_extra)
        return sorted(set(chosen), key=KIND_ORDER.__getitem__)

    def _certifications(self, arch: Archetype, country: str, kinds: list[str]) -> list[str]:
        rng = self.rng
        odds: dict[str, float] = {
            "iso-9001": ISO_9001_ODDS.get(arch.key, 0.15),
            "iso-14001": {"circular": 0.45, "green": 0.35}.get(arch.key, 0.12),
            "pso": (0.7 if arch.key == "broad" else 0.5) if country == "NL" else 0.03,
        }
        if DATA_KINDS & set(kinds):
            odds["iso-27001"] = 0.6 if arch.key == "business" else 0.2
        if "food-processing" in kinds:
            odds["haccp"] = 0.9
            odds["brcgs"] = 0.35
        elif "catering" in kinds:
            odds["haccp"] = 0.5
        if SAFETY_KINDS & set(kinds):
            odds["vca"] = 0.85 if arch.key == "construction" else 0.5
        if {"woodworking", "printing-binding"} & set(kinds):
            odds["fsc"] = 0.45
        held = {code for code in CERTIFICATIONS if code in odds and rng.random() < odds[code]}
        if "brcgs" in held:
            held.add("haccp")
        return [code for code in CERTIFICATIONS if code in held]

    def _capacity(self, arch: Archetype, kind: str) -> int:
        median = arch.capacity_median
        if kind in ("individual-secondment", "group-secondment"):
            median *= 2
        value = round(self.rng.lognormvariate(math.log(median), 0.7))
        return max(2, min(120, value))

    def _sites(self, arch: Archetype, town: Town, multi_site: bool) -> list[dict[str, Any]]:
        rng = self.rng
        towns = [town]
        if multi_site:
            nearby = _neighbours(town)[:5]
            towns += rng.sample(nearby, rng.choice((1, 1, 2, 3)))
        radius = rng.choice(arch.radii)
        sites = []
        for i, site_town in enumerate(towns):
            lat, lon = _jitter(rng, site_town)
            street = rng.choice(STREETS[site_town.country])
            number = str(rng.randint(1, 180)) + ("" if rng.random() < 0.85 else rng.choice("abc"))
            sites.append(
                {
                    "name": "Hoofdvestiging" if i == 0 else f"{arch.site_label} {site_town.name}",
                    "address": f"{street} {number}",
                    "postcode": rng.choice(site_town.postcodes),
                    "city": site_town.name,
                    "country": site_town.country,
                    "lat": lat,
                    "lon": lon,
                    "service_radius_km": radius if i == 0 else min(radius, rng.choice(arch.radii)),
                }
            )
        return sites

    def _capabilities(
        self, arch: Archetype, kinds: list[str], sites: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        rng = self.rng
        site_names = [site["name"] for site in sites]
        capabilities = []
        for kind in kinds:
            capability: dict[str, Any] = {
                "work_kind": kind,
                "capacity_workers": self._capacity(arch, kind),
            }
            if rng.random() < 0.35:
                capability["notes"] = rng.choice(KIND_NOTES[kind])
            if len(site_names) > 1 and rng.random() < 0.3:
                k = rng.randint(1, len(site_names) - 1)
                capability["sites"] = sorted(rng.sample(site_names, k), key=site_names.index)
            capabilities.append(capability)
        return capabilities

    def _contacts(self, town: Town, domain: str) -> list[dict[str, str]]:
        rng = self.rng
        country = town.country
        firsts, lasts = (
            (NL_FIRST_NAMES, NL_SURNAMES) if country == "NL" else (BE_FIRST_NAMES, BE_SURNAMES)
        )
        count = rng.choice((1, 1, 2, 2, 2, 3))
        roles = [rng.choice(FIRST_ROLES)]
        roles += rng.sample([r for r in ROLES[country] if r != roles[0]], count - 1)
        contacts: list[dict[str, str]] = []
        locals_: set[str] = set()
        for role in roles:
            while True:
                first, last = rng.choice(firsts), rng.choice(lasts)
                surname = slugify(last).replace("-", "")
                if country == "NL":
                    local = f"{slugify(first)[0]}.{surname}"
                else:
                    local = f"{slugify(first).replace('-', '')}.{surname}"
                if local not in locals_:
                    locals_.add(local)
                    break
            phone = _mobile(rng, country) if rng.random() < 0.7 else _phone(rng, town.phone_stem)
            contacts.append(
                {
                    "name": f"{first} {last}",
                    "role": role,
                    "email": f"{local}@{domain}",
                    "phone": phone,
                }
            )
        return contacts

    def _available_from(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:  # free now or within a few weeks
            day = AVAILABLE_START + timedelta(days=rng.randint(0, 44))
        elif roll < 0.75:  # from the first of a coming month
            day = date(2026, 12, 1) if rng.random() < 0.3 else date(2027, rng.randint(1, 4), 1)
        else:
            day = AVAILABLE_START + timedelta(
                days=rng.randint(0, (AVAILABLE_END - AVAILABLE_START).days)
            )
        return day.isoformat()

    def _description(
        self, arch: Archetype, name: str, town: Town, kinds: list[str], staff: int
    ) -> str:
        rng = self.rng
        country = town.country
        intro = rng.choice(INTROS[country][arch.key]).format(
            name=name,
            town=town.name,
            region=f"de regio {town.region}",
            staff=f"{staff:,}".replace(",", "."),  # Dutch thousands separator
        )
        sentences = [intro]
        if rng.random() < 0.8:
            shown = rng.sample(kinds, min(3, len(kinds)))
            shown.sort(key=KIND_ORDER.__getitem__)
            offer = rng.choice(OFFER_SENTENCES)
            sentences.append(offer.format(kinds=_join_nl([_label(k) for k in shown])))
        if rng.random() < 0.45:
            sentences.append(rng.choice(CLOSERS[country]))
        return " ".join(sentences)

    # a company -------------------------------------------------------------------------------

    def company(self, town: Town, used_here: set[str], multi_site: bool) -> dict[str, Any]:
        rng = self.rng
        weights = {k: w for k, w in ARCHETYPE_WEIGHTS[town.country].items() if k not in used_here}
        key = rng.choices(list(weights), weights=list(weights.values()))[0]
        used_here.add(key)
        arch = ARCHETYPES[key]

        name = self._name(arch, town)
        slug = slugify(name)
        self.names.add(name)
        self.slugs.add(slug)
        domain = f"{slug}.{DEMO_DOMAIN}"

        kinds = self._kinds(arch, town.country)
        sites = self._sites(arch, town, multi_site)
        capabilities = self._capabilities(arch, kinds, sites)
        free_workers = sum(c["capacity_workers"] for c in capabilities)
        staff = 10 * round(free_workers * rng.uniform(3, 8) / 10)
        main_phone = _phone(rng, town.phone_stem)
        if rng.random() < 0.5:
            main_phone = main_phone[:-2] + "00"  # switchboard numbers often end in 00
        return {
            "name": name,
            "registration": self._registration(town.country),
            "description": self._description(arch, name, town, kinds, max(staff, 40)),
            "website": f"https://{domain}",
            "email": f"{rng.choice(('info', 'info', 'info', 'contact', 'verkoop'))}@{domain}",
            "phone": main_phone,
            "contacts": self._contacts(town, domain),
            "certifications": self._certifications(arch, town.country, kinds),
            "sites": sites,
            "capabilities": capabilities,
            "available_from": self._available_from(),
            "status": "active",
        }


def demo_companies(seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """Fictional NL and Flemish sheltered-work companies as v1 profile bodies plus ``status``.

    Deterministic: the same seed gives identical output. Each town in ``TOWNS`` hosts at least
    one company; the larger towns host a few more.
    """
    builder = _Builder(seed)
    rng = builder.rng
    plan = [town for town in TOWNS for _ in range(1 + EXTRA_COMPANIES.get(town.name, 0))]
    n = len(plan)
    multi_site = set(rng.sample(range(n), round(n * MULTI_SITE_SHARE)))
    used: dict[str, set[str]] = {}
    companies = [
        builder.company(town, used.setdefault(town.name, set()), i in multi_site)
        for i, town in enumerate(plan)
    ]

    picked = rng.sample(range(n), round(n * PENDING_SHARE) + round(n * INACTIVE_SHARE))
    for i, index in enumerate(picked):
        companies[index]["status"] = "pending" if i < round(n * PENDING_SHARE) else "inactive"
    return add_procurement_facts(companies)


__all__ = ["DEMO_DOMAIN", "WORK_KIND_LABELS", "demo_companies"]
