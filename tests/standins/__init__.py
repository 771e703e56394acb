"""Local stand-ins for Cognito and API Gateway: real HTTP servers on 127.0.0.1 and real RS256 tokens.

They implement the parts of the protocols the tools use, and enforce them the way the real services
do (PKCE, exact redirect URIs, client secrets, scopes), so a tool that cuts a corner fails against them.
"""
