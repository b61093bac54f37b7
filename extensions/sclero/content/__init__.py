"""What pages declare, read by Sphinx: the domain, directives, role, sanitising, encoding."""
