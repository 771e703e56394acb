"""The local deployment: an embedded AWS emulator (MiniStack) that local environments deploy to.

``emulator`` starts and stops it on 127.0.0.1; ``aws`` gives clients and CDK runs that can only
reach it; ``endpoints`` maps AWS URLs to where it serves them; ``up`` and ``e2e`` are the
``make up/down/e2e`` verbs. Nothing here is used by a real (``deploy_target: aws``) environment.
"""
