"""Procurement in the pure core: the PSO ladder, reserved-contract eligibility as a hard filter,
social return (what is at stake, what a company could cover) and the sentences that say it."""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import date

import pytest

from app.matching.catalogue import NO_DATE, Catalogue
from app.matching.engine import match
from app.matching.explain import explain
from app.matching.procurement import (
    PSO_CODES,
    RULES_FILE,
    combined,
    counting_rule,
    coverage,
    obligation,
    parse_rules,
    pso_label,
    pso_rank,
    reserved_eligible,
    rules,
)
from app.matching.procurement_words import coverage_sentence, euros, obligation_sentence
from app.matching.types import Criteria, PsoFacts, ReservedFacts

from . import TAXONOMY, TOWNS, cap, columns_from_records, company

STATED = date(2026, 11, 1)


def catalogue(*facts: tuple[str, str | None, float | None]) -> Catalogue:
    """Companies (id, PSO level, target-group share) in Tilburg offering packaging (10 people)."""
    columns = columns_from_records(company(cid, [cap("packaging", 10)]) for cid, _, _ in facts)
    return Catalogue.from_columns(TAXONOMY, dataclasses.replace(
        columns,
        company_pso_level=[level for _, level, _ in facts],
        company_pso_date=[STATED.toordinal() if level else NO_DATE for _, level, _ in facts],
        company_target_share=[share for _, _, share in facts],
        company_share_date=[STATED.toordinal() if share is not None else NO_DATE
                            for _, _, share in facts],
    ))


def ids(result: object) -> list[str]:
    return sorted(m.company_id for m in result.matches)  # type: ignore[attr-defined]


CAST = (("a-eligible", "trede-2", 45.0), ("b-exactly-30", None, 30.0),
        ("c-below", "30-plus", 29.9), ("d-unknown", "aspirant", None))


def test_the_ladder_is_ordered_and_labelled() -> None:
    assert [pso_rank(c) for c in PSO_CODES] == list(range(6))
    assert pso_rank(None) < pso_rank("aspirant")
    assert pso_label("trede-3", "nl") == "PSO trede 3"
    assert pso_label("trede-3", "en") == "PSO step 3"
    assert pso_label("30-plus", "en") == "PSO 30+"


def test_eligibility_starts_at_thirty_percent() -> None:
    assert reserved_eligible(30.0) and reserved_eligible(100.0)
    assert not reserved_eligible(29.99) and not reserved_eligible(None)


def test_a_reserved_contract_matches_only_eligible_companies() -> None:
    cat = catalogue(*CAST)
    here = TOWNS["Tilburg"]
    asked = Criteria(work_kinds=("packaging",), lat=here[0], lon=here[1])
    assert ids(match(cat, asked)) == ["a-eligible", "b-exactly-30", "c-below", "d-unknown"]
    reserved = match(cat, dataclasses.replace(asked, reserved_contract=True))
    assert ids(reserved) == ["a-eligible", "b-exactly-30"]
    assert reserved.total_candidates == 2
    first = reserved.matches[0]
    (why,) = [c for c in first.components if c.criterion == "reserved_contract"]
    assert why.weight == 0.0 and why.score == 1.0
    assert isinstance(why.facts, ReservedFacts)
    assert first.procurement is not None and first.procurement.reserved_eligible


def test_a_minimum_pso_level_admits_that_level_and_higher() -> None:
    cat = catalogue(*CAST)
    result = match(cat, Criteria(work_kinds=("packaging",), min_pso_level="trede-2"))
    assert ids(result) == ["a-eligible", "c-below"]
    assert ids(match(cat, Criteria(work_kinds=("packaging",), min_pso_level="aspirant"))) == [
        "a-eligible", "c-below", "d-unknown"]
    assert ids(match(cat, Criteria(work_kinds=("packaging",), reserved_contract=True,
                                   min_pso_level="trede-1"))) == ["a-eligible"]
    (why,) = [c for c in result.matches[0].components if c.criterion == "pso_level"]
    assert isinstance(why.facts, PsoFacts) and why.facts.minimum == "trede-2"


def test_hard_filters_do_not_change_scores() -> None:
    cat = catalogue(*CAST)
    plain = {m.company_id: m.score for m in match(cat, Criteria(work_kinds=("packaging",)))
             .matches}
    for m in match(cat, Criteria(work_kinds=("packaging",), reserved_contract=True)).matches:
        assert m.score == plain[m.company_id]


def test_a_catalogue_without_procurement_columns_knows_no_facts() -> None:
    cat = Catalogue.from_columns(TAXONOMY, columns_from_records([company("x")]))
    assert match(cat, Criteria(work_kinds=("packaging",), reserved_contract=True)).matches == ()
    (only,) = match(cat, Criteria(work_kinds=("packaging",))).matches
    assert only.procurement is not None
    assert only.procurement.pso_level is None and not only.procurement.reserved_eligible


def test_explanations_say_both_filters_in_dutch_and_english() -> None:
    cat = catalogue(("a", "trede-2", 45.0))
    (m,) = match(cat, Criteria(work_kinds=("packaging",), reserved_contract=True,
                               min_pso_level="trede-1")).matches
    reserved, pso = (c for c in m.components if c.criterion in ("reserved_contract", "pso_level"))
    assert explain(reserved, "en", TAXONOMY) == (
        "May take part in a reserved contract (res-ws): 45% target-group workers "
        "(stated on 1 November 2026), 30% or more needed.")
    assert explain(reserved, "nl", TAXONOMY) == (
        "Mag meedoen aan een voorbehouden opdracht (res-ws): 45% doelgroepmedewerkers "
        "(opgegeven op 1 november 2026), 30% of meer nodig.")
    assert explain(pso, "en", TAXONOMY) == (
        "PSO step 2, certified on 1 November 2026; at least PSO step 1 asked.")
    assert explain(pso, "nl", TAXONOMY) == (
        "PSO trede 2, gecertificeerd op 1 november 2026; minimaal PSO trede 1 gevraagd.")


# --- social return -------------------------------------------------------------------------


def test_two_million_at_five_percent_puts_100000_at_stake() -> None:
    obliged = obligation(rules().default, contract_value_eur=2_000_000, percentage=5)
    assert obliged.amount_eur == 100_000
    assert obligation_sentence(obliged, "en") == (
        "€100,000 of social return at stake: 5% of a contract value of €2,000,000 "
        "(counting rules: National default (building blocks)).")
    assert obligation_sentence(obliged, "nl").startswith(
        "€ 100.000 aan social return staat op het spel: 5% van een opdrachtwaarde van "
        "€ 2.000.000")
    assert obligation(rules().default, amount_eur=12_345.678).amount_eur == 12_345.68
    with pytest.raises(ValueError):
        obligation(rules().default, contract_value_eur=1)


def test_coverage_is_workers_times_value_counted_and_capped() -> None:
    default = rules().default
    obliged = obligation(default, contract_value_eur=2_000_000, percentage=5)
    per_worker = default.annual_value_per_worker_eur
    two = coverage(obliged, 2, None)
    assert two.rule == "sheltered-work" and two.counted_percent == 100
    assert two.could_cover_eur == 2 * per_worker
    assert two.share_of_obligation == round(2 * per_worker / 100_000, 4)
    many = coverage(obliged, 50, "trede-3")
    assert many.could_cover_eur == 100_000 and many.share_of_obligation == 1.0
    assert coverage(obliged, 0, None).could_cover_eur == 0
    assert coverage_sentence(two, obliged, "en") == (
        f"Could cover an estimated {euros(2 * per_worker, 'en')} of the €100,000: 2 workers "
        f"× {euros(per_worker, 'en')} of work a year; buying from a sheltered-work company "
        "counts at 100% of the invoice value excl. VAT; at most the amount at stake.")
    assert coverage_sentence(two, obliged, "nl").startswith("Kan naar schatting € ")


def test_a_region_may_count_pso_above_sheltered_work() -> None:
    rotterdam = rules().region("rotterdam")
    assert counting_rule(rotterdam, None) == (70.0, "sheltered-work", None)
    assert counting_rule(rotterdam, "trede-3") == (100.0, "pso", "trede-3")
    assert counting_rule(rotterdam, "aspirant") == (70.0, "sheltered-work", None)
    obliged = obligation(rotterdam, amount_eur=1_000_000)
    pso = coverage(obliged, 1, "trede-3")
    assert pso.could_cover_eur == rotterdam.annual_value_per_worker_eur
    assert "PSO step 3 counts at 100%" in coverage_sentence(pso, obliged, "en")


def test_regions_are_found_by_code_or_place() -> None:
    table = rules()
    assert table.region("amsterdam").code == "amsterdam"
    assert table.region(None, "Schiedam").code == "rotterdam"
    assert table.region(None, "tilburg").code == "default"
    assert table.region("nowhere").code == "default"
    # Overrides inherit what they leave out.
    assert table.region("rotterdam").annual_value_per_worker_eur == (
        table.default.annual_value_per_worker_eur)


def test_a_consortium_adds_its_members_counted_work() -> None:
    rotterdam = rules().region("rotterdam")
    obliged = obligation(rotterdam, amount_eur=1_000_000)
    together = combined(obliged, [coverage(obliged, 2, "trede-3"), coverage(obliged, 2, None)])
    value = rotterdam.annual_value_per_worker_eur
    assert together.could_cover_eur == 2 * value + 2 * value * 0.7
    assert together.rule == "mixed" and together.workers == 4
    assert together.counted_percent == 85.0
    same = combined(obliged, [coverage(obliged, 1, None), coverage(obliged, 1, None)])
    assert same.rule == "sheltered-work"
    capped = combined(obliged, [coverage(obliged, 100, None)] * 2)
    assert capped.could_cover_eur == 1_000_000 and capped.share_of_obligation == 1.0


def test_the_shipped_rules_file_is_complete_and_says_its_sources() -> None:
    data = tomllib.loads(RULES_FILE.read_text())
    parsed = parse_rules(data)
    for region in (parsed.default, *parsed.regions.values()):
        assert region.source, region.code
        assert set(region.pso_percent) == set(PSO_CODES)
    assert parsed.default.sheltered_work_percent == 100.0  # issue 19: the invoice value


@pytest.mark.parametrize("broken", [
    {},
    {"default": {"label_nl": "x", "label_en": "x", "sheltered_work_percent": 100.0}},
    {"default": {"label_nl": "x", "label_en": "x", "sheltered_work_percent": 120.0,
                 "annual_value_per_worker_eur": 1.0}},
    {"default": {"label_nl": "x", "label_en": "x", "sheltered_work_percent": 100.0,
                 "annual_value_per_worker_eur": 1.0, "pso_percent": {"trede-9": 1.0}}},
])
def test_a_malformed_rules_file_is_refused(broken: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        parse_rules(broken)


def test_the_sentences_exist_in_french_too() -> None:
    cat = catalogue(("a", "trede-2", 45.0))
    (m,) = match(cat, Criteria(work_kinds=("packaging",), reserved_contract=True,
                               min_pso_level="trede-1")).matches
    reserved, pso = (c for c in m.components if c.criterion in ("reserved_contract", "pso_level"))
    assert explain(reserved, "fr", TAXONOMY).startswith(
        "Peut participer à un marché réservé (res-ws) : 45\u202f% de travailleurs du public cible")
    assert explain(pso, "fr", TAXONOMY).startswith("PSO échelon 2, certifié le ")
    obliged = obligation(rules().default, contract_value_eur=2_000_000, percentage=5)
    assert "de clause sociale en jeu : 5\u202f% d’un marché" in obligation_sentence(obliged, "fr")
    assert coverage_sentence(coverage(obliged, 1, None), obliged, "fr").startswith(
        "Pourrait couvrir environ ")
    assert euros(1234.5, "nl") == "€ 1.234,50" and euros(1234, "en") == "€1,234"
