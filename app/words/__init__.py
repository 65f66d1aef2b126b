"""Words a person understands: the catalogue of error codes with their Dutch and English
templates, and numbers and dates in the reader's language. Pure: no web or database
framework, so the matching core, the mails and the API all use the same words."""
