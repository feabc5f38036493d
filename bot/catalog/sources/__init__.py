"""Content sources that write data files: TVmaze (shows and episodes) and Wikipedia (recaps)."""
