"""Pure matching core: criteria against a columnar catalogue of companies and sites.

Imports no web or database framework; only `app.geo` from the rest of the app.
"""
