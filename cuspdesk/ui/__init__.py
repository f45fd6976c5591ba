"""The Qt desktop: windows, screens, dialogs and item models. Calls services, never SQL."""

from cuspdesk.ui.binding_guard import keep_none_alive

keep_none_alive()
