"""One construct per logical unit. Each exposes what it creates as attributes; stacks wire them."""
