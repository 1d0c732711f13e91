"""workplan: a Work Plan kept as reviewed, versioned YAML data."""

__version__ = "0.1.0"
