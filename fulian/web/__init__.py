"""The web face: uploads for unit staff, read-only views for archivists and statistics staff."""
