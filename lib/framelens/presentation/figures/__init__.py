"""Figure builders, one module per chapter: each takes a tidy table, returns a Figure."""
