"""Dialogs and forms that open over the main window."""
