"""The built-in engine specs, one module each (see ``BUILTIN_ENGINES`` in the registry)."""
