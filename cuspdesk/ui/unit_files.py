"""File-menu actions for unit files (export one unit, merge a unit file back).

``MainWindow`` calls ``add_unit_file_actions`` while building its File menu; dialogs and
services are imported only when an action runs, so the window opens as fast as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from cuspdesk.services.unit_exchange import MergeResult
    from cuspdesk.ui.main_window import MainWindow

FILE_FILTER = "CUSPDesk unit files (*.cuspdesk)"
# Every kind of record a merge can change, so each screen reloads what it shows.
MERGED_KINDS = ("unit", "team", "issue", "meeting", "round", "assessment", "defect", "measure")
READ_ONLY_TIP = "The database is open read-only, so nothing can be merged."
ROLE_TIP = "Only the team leader can merge unit files or decide merge conflicts."
EXPORT_ACTION = "export_unit_action"
MERGE_ACTION = "merge_unit_action"
CONFLICTS_ACTION = "merge_conflicts_action"


def _action(window: MainWindow, name: str) -> QAction:
    action = window.findChild(QAction, name)
    assert isinstance(action, QAction), name
    return action


def add_unit_file_actions(window: MainWindow, menu: QMenu) -> None:
    """Add this part's actions to ``menu`` (the File menu)."""
    export = QAction("E&xport unit file…", window)
    export.setStatusTip("Write this unit's records to one file, to merge on another computer.")
    export.triggered.connect(lambda: export_unit_file(window))
    merge = QAction("&Merge a unit file…", window)
    merge.setStatusTip("Bring a unit file's records into this database.")
    merge.triggered.connect(lambda: merge_unit_file(window))
    conflicts = QAction("Merge &conflicts…", window)
    conflicts.setStatusTip("Decide records changed both here and in a merged unit file.")
    conflicts.triggered.connect(lambda: show_merge_conflicts(window))
    for action, name in (
        (export, EXPORT_ACTION),
        (merge, MERGE_ACTION),
        (conflicts, CONFLICTS_ACTION),
    ):
        action.setObjectName(name)
        menu.addAction(action)
    menu.aboutToShow.connect(lambda: update_unit_file_actions(window))
    window.context.unit_changed.connect(lambda _unit: update_unit_file_actions(window))
    update_unit_file_actions(window)


def update_unit_file_actions(window: MainWindow) -> None:
    """Offer only what this role may do on this database, and say why not otherwise."""
    from cuspdesk.services.access import allowed

    db = window.db
    _action(window, EXPORT_ACTION).setEnabled(window.context.unit_id is not None)
    merge = _action(window, MERGE_ACTION)
    may_merge = not db.read_only and allowed(db.actor.role, "unit.merge")
    merge.setEnabled(may_merge)
    merge.setToolTip(merge.statusTip() if may_merge else merge_refusal(window))


def merge_refusal(window: MainWindow) -> str:
    """Why this window may not merge, in a sentence (empty when it may)."""
    from cuspdesk.services.access import allowed

    db = window.db
    if db.read_only:
        return READ_ONLY_TIP
    return "" if allowed(db.actor.role, "unit.merge") else ROLE_TIP


def export_unit_file(window: MainWindow, path: Path | None = None) -> None:
    """Ask where (unless ``path`` is given), then write the unit file in the background."""
    from PySide6.QtWidgets import QFileDialog

    from cuspdesk.services.unit_exchange import SUFFIX, export_unit, suggested_file_name
    from cuspdesk.services.validation import today
    from cuspdesk.ui.worker import run_in_background

    unit_id = window.context.unit_id
    if unit_id is None:
        return
    if path is None:
        name = suggested_file_name(window.unit_names.get(unit_id, "unit"), today())
        chosen, _filter = QFileDialog.getSaveFileName(
            window, "Export unit file", str(Path.home() / name), FILE_FILTER
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
    db = window.db
    target = path
    window.context.status_message.emit(f"Writing {target.name}…")
    run_in_background(
        lambda: export_unit(db, unit_id, target),
        on_done=lambda result: window.context.status_message.emit(
            f"Wrote “{result.unit_name}” ({result.records:,} records) to {result.path}."
        ),
        on_error=lambda error: _warn(window, "Unit file not written", error),
    )


def merge_unit_file(window: MainWindow, path: Path | None = None) -> None:
    """Check the file first (a dry run), show what merging would do, merge if the person agrees."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from cuspdesk.services.unit_exchange import merge_unit_file as merge
    from cuspdesk.ui.worker import run_in_background

    refusal = merge_refusal(window)
    if refusal:
        _tell(window, "Merge a unit file", refusal)
        return
    if path is None:
        chosen, _filter = QFileDialog.getOpenFileName(
            window, "Merge a unit file", str(Path.home()), FILE_FILTER
        )
        if not chosen:
            return
        path = Path(chosen)
    db = window.db
    source = path

    def confirm(preview: MergeResult) -> None:
        box = QMessageBox(window)
        box.setWindowTitle("Merge a unit file")
        box.setAccessibleName("Merge a unit file")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(preview.sentence())
        box.setInformativeText(
            "Records changed only in the file are brought in; records changed in both places "
            "are listed for you to decide, never overwritten. Merge now?"
        )
        go = box.addButton("Merge", QMessageBox.ButtonRole.AcceptRole)
        go.setAccessibleName("Merge")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        box.setDefaultButton(cancel)
        box.exec()
        if box.clickedButton() is not go:
            return
        run_in_background(
            lambda: merge(db, source),
            on_done=merged,
            on_error=failed,
        )

    def merged(result: MergeResult) -> None:
        for kind in MERGED_KINDS:
            window.context.changed(kind)
        if result.unit_id is not None and window.context.unit_id is None:
            window.context.set_unit(result.unit_id)
        window.context.status_message.emit(result.sentence())
        if result.conflicts:
            show_merge_conflicts(window)

    def failed(error: Exception) -> None:
        _warn(window, "Unit file not merged", error)

    run_in_background(lambda: merge(db, source, dry_run=True), on_done=confirm, on_error=failed)


def _warn(window: MainWindow, title: str, error: Exception) -> None:
    _tell(window, title, str(error), warning=True)


def _tell(window: MainWindow, title: str, text: str, *, warning: bool = False) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setAccessibleName(title)
    box.setText(text)
    ok = box.addButton(QMessageBox.StandardButton.Ok)
    ok.setAccessibleName("OK")
    box.exec()


def show_merge_conflicts(window: MainWindow) -> None:
    """Open (or bring forward) the one merge-conflicts window."""
    from cuspdesk.ui.dialogs.merge_conflicts import MergeConflictsDialog

    dialog = window.findChild(MergeConflictsDialog)
    if dialog is None:
        dialog = MergeConflictsDialog(window.context, parent=window)
    else:
        dialog.reload()
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
