"""Fictional entreprises de travail adapté (ETA) in real Walloon and Brussels towns, with French
descriptions, for `loket demo load`: a French-speaking entrepreneur who searches near Liège,
Mons, Namur, Wavre, Tournai or Brussels finds companies that speak French.

Every name, address, person, phone number and enterprise number is made up; the enterprise
numbers carry valid KBO/BCE check digits (97 - the first eight digits mod 97), the phones are
valid Belgian numbers of the town's zone, and every address ends in the demo domain.
"""

from __future__ import annotations

from typing import Any

from app.demo.generator import DEMO_DOMAIN, be_enterprise_number


def _site(name: str, address: str, postcode: str, city: str, lat: float, lon: float,
          radius: int) -> dict[str, Any]:
    return {"name": name, "address": address, "postcode": postcode, "city": city,
            "country": "BE", "lat": lat, "lon": lon, "service_radius_km": radius}


def _company(slug: str, name: str, base8: int, description: str, phone: str,
             contact: tuple[str, str, str, str], certifications: list[str],
             sites: list[dict[str, Any]], capabilities: list[dict[str, Any]],
             available_from: str) -> dict[str, Any]:
    domain = f"{slug}.{DEMO_DOMAIN}"
    person, role, local, mobile = contact
    return {
        "name": name,
        "registration": {"country": "BE", "number": be_enterprise_number(base8)},
        "description": description,
        "website": f"https://{domain}",
        "email": f"contact@{domain}",
        "phone": phone,
        "contacts": [{"name": person, "role": role, "email": f"{local}@{domain}",
                      "phone": mobile}],
        "certifications": certifications,
        "sites": sites,
        "capabilities": capabilities,
        "available_from": available_from,
        "status": "active",
    }


def french_companies() -> list[dict[str, Any]]:
    """Six fictional ETA as v1 profile bodies plus `status` (all active); the same every call."""
    return [
        _company(
            "atelier-coteaux-de-meuse", "Atelier des Coteaux de Meuse", 8_731_462,
            "Entreprise de travail adapté à Liège. Nos équipes conditionnent, assemblent et "
            "contrôlent des produits pour l’industrie et la distribution, avec un encadrement "
            "permanent en atelier.",
            "+3242317745", ("Nathalie Dumont", "responsable commerciale", "nathalie.dumont",
                            "+32475218346"),
            ["iso-9001"],
            [_site("Siège de Liège", "Rue des Artisans 27", "4000", "Liège", 50.6292, 5.5661,
                   40)],
            [{"work_kind": "packaging", "capacity_workers": 45,
              "notes": "Mise sous film, mise en boîte et étiquetage, petites et grandes séries."},
             {"work_kind": "assembly", "capacity_workers": 30},
             {"work_kind": "sorting-inspection", "capacity_workers": 18}],
            "2026-12-01",
        ),
        _company(
            "jardiniers-du-borinage", "Les Jardiniers du Borinage", 8_746_215,
            "ETA montoise spécialisée dans l’entretien des espaces verts, le nettoyage de "
            "bâtiments et la blanchisserie. Nos équipes interviennent chez le client, dans tout "
            "le Hainaut.",
            "+3265846213", ("Marc Lefèbvre", "chef d’équipe", "marc.lefebvre", "+32478615520"),
            ["vca"],
            [_site("Dépôt de Mons", "Chemin des Serres 8", "7000", "Mons", 50.4581, 3.9422, 35),
             _site("Antenne de Charleroi", "Rue du Terril 112", "6000", "Charleroi", 50.4138,
                   4.4521, 30)],
            [{"work_kind": "green-maintenance", "capacity_workers": 38,
              "notes": "Tonte, taille, désherbage sans pesticides, entretien de cimetières.",
              "sites": ["Dépôt de Mons", "Antenne de Charleroi"]},
             {"work_kind": "cleaning", "capacity_workers": 22},
             {"work_kind": "laundry", "capacity_workers": 12, "sites": ["Dépôt de Mons"]}],
            "2027-01-04",
        ),
        _company(
            "namur-numerique-adapte", "Namur Numérique Adapté", 8_759_034,
            "Entreprise de travail adapté à Namur : numérisation d’archives, encodage, soutien "
            "administratif et petits travaux d’imprimerie, dans le respect de la "
            "confidentialité.",
            "+3281734529", ("Sophie Renard", "coordinatrice clientèle", "sophie.renard",
                            "+32496307184"),
            ["iso-9001", "iso-27001"],
            [_site("Bureaux de Namur", "Avenue de la Citadelle 15", "5000", "Namur", 50.4611,
                   4.8602, 60)],
            [{"work_kind": "document-digitization", "capacity_workers": 26,
              "notes": "Scannage, indexation et destruction certifiée des originaux."},
             {"work_kind": "administration", "capacity_workers": 14},
             {"work_kind": "printing-binding", "capacity_workers": 8}],
            "2026-12-07",
        ),
        _company(
            "cuisine-logistique-de-la-dyle", "Cuisine & Logistique de la Dyle", 8_764_587,
            "ETA du Brabant wallon : cuisine de collectivité, transformation alimentaire et "
            "préparation de commandes, à Wavre et à Louvain-la-Neuve.",
            "+3210452876", ("Julien Marchal", "directeur des opérations", "julien.marchal",
                            "+32472953061"),
            ["haccp"],
            [_site("Cuisine de Wavre", "Rue de la Sucrerie 4", "1300", "Wavre", 50.7139,
                   4.6047, 30),
             _site("Entrepôt de Louvain-la-Neuve", "Boulevard des Sciences 61", "1348",
                   "Louvain-la-Neuve", 50.6702, 4.5889, 30)],
            [{"work_kind": "food-processing", "capacity_workers": 24,
              "sites": ["Cuisine de Wavre"]},
             {"work_kind": "catering", "capacity_workers": 16, "sites": ["Cuisine de Wavre"],
              "notes": "Repas pour écoles et maisons de repos, en liaison froide."},
             {"work_kind": "order-fulfilment", "capacity_workers": 20,
              "sites": ["Entrepôt de Louvain-la-Neuve"]}],
            "2026-12-14",
        ),
        _company(
            "atelier-textile-du-canal", "Atelier Textile du Canal", 8_772_310,
            "Entreprise de travail adapté bruxelloise, le long du canal : tri et recyclage de "
            "textiles, atelier de couture, ressourcerie et réparation de vélos.",
            "+3225237164", ("Karim Benali", "gestionnaire de projets", "karim.benali",
                            "+32484172659"),
            [],
            [_site("Atelier d’Anderlecht", "Quai de l’Industrie 93", "1070", "Anderlecht",
                   50.8421, 4.3274, 25)],
            [{"work_kind": "textile-recycling", "capacity_workers": 28},
             {"work_kind": "textile-sewing", "capacity_workers": 15,
              "notes": "Retouches, petites séries, sacs et accessoires en matières recyclées."},
             {"work_kind": "reuse-shop", "capacity_workers": 10},
             {"work_kind": "bicycle-repair", "capacity_workers": 6}],
            "2026-12-01",
        ),
        _company(
            "bois-et-metal-de-l-escaut", "Bois & Métal de l’Escaut", 8_785_943,
            "ETA tournaisienne : menuiserie, travail des métaux et rénovation de meubles, avec "
            "un atelier à Tournai et un à Mouscron.",
            "+3269218457", ("Claire Vandenberghe", "responsable d’atelier", "claire.vandenberghe",
                            "+32479046832"),
            ["vca", "fsc"],
            [_site("Atelier de Tournai", "Rue des Sabotiers 19", "7500", "Tournai", 50.6054,
                   3.3962, 45),
             _site("Atelier de Mouscron", "Rue de la Filature 52", "7700", "Mouscron", 50.7426,
                   3.2141, 35)],
            [{"work_kind": "woodworking", "capacity_workers": 21,
              "sites": ["Atelier de Tournai"]},
             {"work_kind": "metalworking", "capacity_workers": 12,
              "sites": ["Atelier de Mouscron"]},
             {"work_kind": "furniture-refurbishing", "capacity_workers": 9}],
            "2027-01-11",
        ),
    ]


__all__ = ["french_companies"]
