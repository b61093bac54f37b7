"""Polite HTTP and the persistent store, shared by identifier verification and link checking."""
