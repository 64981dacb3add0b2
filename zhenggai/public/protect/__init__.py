"""What protects the public forms without any outside service: database-backed rate limits, a
server-rendered arithmetic challenge that can be answered once, unguessable receipt numbers."""
