"""Consortia (samenwerkingsverbanden): when no single company has the people a request needs,
propose small combinations of companies that together do.

`proposer` is pure (plain data in, ranked proposals out); search feeds it from a match.
"""

from app.consortia.proposer import Candidate, Proposal, explain, propose

__all__ = ["Candidate", "Proposal", "explain", "propose"]
