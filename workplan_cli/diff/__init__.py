"""Comparing two plans in the plan's own terms."""
