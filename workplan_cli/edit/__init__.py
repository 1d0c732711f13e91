"""Text edits of plan files that keep every other byte."""
