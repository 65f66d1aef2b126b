"""The web loket: the search page, the company page and the embed for partner sites."""
