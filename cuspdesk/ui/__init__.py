"""The Qt desktop: windows, screens, dialogs and item models. Calls services, never SQL."""
