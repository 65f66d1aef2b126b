"""Cases (good practices): collaborations told for others to learn from, searched in Dutch
and English, written by company members, entrepreneurs and operators, published by operators."""
