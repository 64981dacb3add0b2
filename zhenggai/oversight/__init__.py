"""Oversight (督查分析): what the inspection office needs to steer a round of units (issue 5)."""
