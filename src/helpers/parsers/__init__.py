"""Dataset parsers, one module per topic; each registers its tables with ``helpers.datasets.parser``.

A parser turns verified raw files into a tidy frame. Conventions:

* area codes in a column ``area_code`` (9-character GSS code) and names in ``area_name``;
* periods as ``period`` (int year, or a string label such as ``"2016-18"``) plus, where useful,
  ``year`` (int, the period's last year);
* long format where the data are a set of indicators (see :mod:`helpers.indicators`);
* suppressed cells become missing via :func:`helpers.readers.numeric_columns`, and the count is returned.
"""
