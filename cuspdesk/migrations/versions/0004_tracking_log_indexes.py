"""Indexes that keep a long tracking log quick.

The status index gains the target date, so "overdue", "due in the next 14 days"
and the status bar's counts read only the active issues' index entries, in date
order, instead of every issue of the unit. A (unit, harm event, date identified)
index answers "days since the last harm event" with one index lookup. Statistics
are refreshed afterwards (when there are issues) so the query planner picks the new indexes at once.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("safety_issue") as batch:
        batch.drop_index("ix_safety_issue_unit_id_status")
        batch.create_index(
            "ix_safety_issue_unit_id_status_target_date", ["unit_id", "status", "target_date"]
        )
        batch.create_index(
            "ix_safety_issue_unit_id_harm_event_date_identified",
            ["unit_id", "harm_event", "date_identified"],
        )
    # A new, empty database is analysed when it is first closed with records in it.
    if op.get_bind().execute(sa.text("SELECT EXISTS (SELECT 1 FROM safety_issue)")).scalar():
        op.execute("ANALYZE")


def downgrade() -> None:
    with op.batch_alter_table("safety_issue") as batch:
        batch.drop_index("ix_safety_issue_unit_id_harm_event_date_identified")
        batch.drop_index("ix_safety_issue_unit_id_status_target_date")
        batch.create_index("ix_safety_issue_unit_id_status", ["unit_id", "status"])
