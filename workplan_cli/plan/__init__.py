"""The plan and stakeholder models, their rules, loading, the cache and queries."""
