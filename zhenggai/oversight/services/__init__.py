"""Oversight use cases: each module one concern, called by views, commands and signal handlers alike."""
