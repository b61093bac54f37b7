"""External link checking: collection, polite fetching, identifier checks, cache, reports."""
