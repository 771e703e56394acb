"""The review's verdict policy, in one place. ``change_review.verdicts`` only applies it.

- ``resources``: what each resource type holds (stateful types: DATA LOSS), what apps reach it by
  (removal is BREAKING), which types are paired into renames, which names must stay unique (a
  replacement keeping one WILL FAIL) and what protects it (losing that is UNPROTECTED).
- ``create_only``: create-only properties, read from cfn-lint's bundled provider schemas
  (changing one is a REPLACEMENT).
- ``cognito``: in-place user pool changes Cognito refuses (WILL FAIL).
- ``sign_in``: first factors and passkeys: what users see (SAFE), who is locked out (BREAKING), and a
  dropped policy Cognito keeps (NO EFFECT).
- ``outputs``: who reads each stack output (changing one they read is BREAKING).
- ``explain``: the words: what each change means for the people using the pool.

A new review rule goes here: a table entry when the rule is a fact about a type, a function when
it needs to look at the change.
"""
