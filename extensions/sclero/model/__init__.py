"""Pure data and vocabulary: records, rules, fields, identifiers, titles (no Sphinx)."""
