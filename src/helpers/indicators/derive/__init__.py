"""Derivation functions for catalogue entries whose values are computed, not selected (one module per topic).

Each function is registered with :func:`helpers.indicators.store.derivation` and returns a frame with columns
``area_code, year, value`` (and optionally ``lower, upper, numerator, denominator, obtained``); the store puts
it on today's councils and labels its periods. A derivation reads parsed tables (``helpers.load``) and may call
``helpers.stats``; it never decides a verdict.
"""
