"""Pure rendering: models in, what Discord will show out. No I/O, and never the store."""
