"""One module per make verb, named after it: ``make <verb>`` runs ``python -m operator_tools.verbs.<verb>``
(a dash in the verb is an underscore in the module: ``make export-users`` runs ``verbs.export_users``).

A verb parses its options, calls ``local/`` and ``lib/``, and returns through ``lib.cli.run_cli``. No
verb imports another: what two verbs share lives in ``lib/`` (or ``local/`` for the emulator).
"""
