"""The engine: codemod base class, registry, file handling, run loop and reports."""
