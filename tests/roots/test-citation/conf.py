extensions = ["myst_parser", "sclero"]
sclero_today = "2026-11-24"
