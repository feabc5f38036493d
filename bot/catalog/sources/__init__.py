"""Content sources beyond the data files people write: Wikipedia (recaps) so far."""
