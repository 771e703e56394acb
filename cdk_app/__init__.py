"""cognito-sso-cdk's library: the contracts, the typed config and the constructs the app is built from.

Layers, each importing only those below it: ``constructs`` -> ``config`` -> ``contracts``. The stacks
(``stacks/``) compose the constructs, and the app (``composition/``) builds the stacks.
"""
