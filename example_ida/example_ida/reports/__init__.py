"""Reports: documents that example_ida generates for course teams, kept for a while."""
