"""Pure domain: values and rules with no I/O, no Textual and no SQLAlchemy."""
