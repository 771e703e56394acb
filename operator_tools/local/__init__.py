"""The local deployment: an embedded AWS emulator (MiniStack) that emulator environments deploy to.

``emulator`` starts, finds and stops it on 127.0.0.1; ``aws`` gives clients and CDK runs that can only
reach it; ``endpoints`` and ``outputs`` map AWS URLs to where it serves them; ``target`` decides, for
any environment, whether its calls go to the emulator or to AWS; ``lifecycle`` brings a deployment up
and takes it down (``make up``, ``make down``, the end-to-end tests); ``layer``, ``test_user``,
``hosted_ui`` and ``mailbox`` are what a local deployment needs besides its stacks. A real
(``deploy_target: aws``) environment uses nothing here but ``target``, which sends it to AWS.
This package imports ``operator_tools.lib`` and never ``operator_tools.verbs``.
"""
