"""Pure rendering: data in, what Discord will show out. No I/O, every limit held here."""
