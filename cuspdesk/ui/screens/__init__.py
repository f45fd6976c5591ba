"""One module per screen of the sidebar; each screen is a ``Screen``."""
