"""What readers get: notices, the Cite control, exports, downloads, listings, topic pages."""
