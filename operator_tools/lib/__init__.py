"""The shared library beneath the verbs: plain modules a verb (or a test) builds on."""
