"""Public look-ups for forms: the error codes with their words, and place completion."""
