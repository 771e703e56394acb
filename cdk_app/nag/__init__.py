"""cdk-nag 3.x for this app: the packs every synth runs, and the one way to acknowledge a finding."""

from cdk_app.nag.plugins import acknowledge, register

__all__ = ["acknowledge", "register"]
