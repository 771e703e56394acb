"""CDK Stage and Stack classes. Stacks only compose constructs and wire them together."""
