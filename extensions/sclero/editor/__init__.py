"""Editors' tools: add a citation by its identifier (make cite), fill empty fields (cite-fill)."""
