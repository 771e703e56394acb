"""Command-line tooling: set-up helpers, the change review, smoke test, sign-in and benchmarks."""
