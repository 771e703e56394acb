"""What every part of the review shares: the report's vocabulary (``model``), reading a cloud
assembly (``assembly``) and comparing two templates' values (``diff``).

A subpackage of its own so that the policy and the modules that apply it both import it, and it
imports neither: the review's packages import one way (core <- policy <- the review's modules).
"""
