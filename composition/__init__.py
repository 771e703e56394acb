"""The app's composition, above the stacks: the entry point, one Stage per environment, the nag packs.

Nothing here defines infrastructure: ``main.run`` loads the config, ``app_builder.build_app`` builds
one ``EnvironmentStage`` (or the pipeline stack) per environment, and ``nag.register`` adds the
checks every synth runs. Importing this package starts no jsii; ``app_builder`` does.
"""
