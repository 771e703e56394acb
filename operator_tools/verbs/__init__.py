"""One module per make verb, named after it: ``make export-users`` is ``verbs/export_users.py``.

Each runs as ``python -m operator_tools.verbs.<verb>`` and turns every expected failure into one line.
"""
