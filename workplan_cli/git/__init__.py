"""Git: the one module that runs it, and what is read or set up through it."""
