"""Developer tooling: set-up (Node linking), the benchmark, import timing and the config reference."""
