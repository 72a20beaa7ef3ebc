"""The extractor's version, written into every Evidence; bump it when extraction behaviour changes."""

EXTRACTOR_VERSION = "1.5.7"
