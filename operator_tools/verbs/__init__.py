"""One module per make verb, named after it: ``make idp-check`` runs ``operator_tools.verbs.idp_check``."""
