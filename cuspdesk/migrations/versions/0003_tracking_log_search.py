"""Tracking-log search index and an index for counting the log quickly.

``issue_search`` holds one case-folded text per issue (its fields and its notes).
On SQLite it is an FTS5 table with the trigram tokenizer, so ``LIKE '%word%'``
uses the index; on PostgreSQL it is a plain table. An index on
(unit_id, archived_at, status) lets the status bar and the log count without
reading every row.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE issue_search USING fts5("
            "body, tokenize = 'trigram case_sensitive 0')"
        )
    else:
        op.execute("CREATE TABLE issue_search (rowid INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    with op.batch_alter_table("safety_issue") as batch:
        batch.create_index(
            "ix_safety_issue_unit_id_archived_at_status", ["unit_id", "archived_at", "status"]
        )
    # The same text the app indexes: the searched fields, then the notes.
    if bind.dialect.name == "sqlite":
        op.execute(
            "INSERT INTO issue_search (rowid, body) SELECT i.id, lower("
            "i.description || char(10) || i.action_plan || char(10) ||"
            " i.barriers || char(10) || i.location || coalesce(char(10) || (SELECT"
            " group_concat(n.text, char(10)) FROM issue_note n WHERE n.issue_id = i.id), ''))"
            " FROM safety_issue i"
        )
    else:
        op.execute(
            "INSERT INTO issue_search (rowid, body) SELECT i.id, lower("
            "i.description || E'\\n' || i.action_plan || E'\\n' ||"
            " i.barriers || E'\\n' || i.location || coalesce(E'\\n' || (SELECT"
            " string_agg(n.text, E'\\n' ORDER BY n.note_date, n.id) FROM issue_note n"
            " WHERE n.issue_id = i.id), '')) FROM safety_issue i"
        )


def downgrade() -> None:
    with op.batch_alter_table("safety_issue") as batch:
        batch.drop_index("ix_safety_issue_unit_id_archived_at_status")
    op.execute("DROP TABLE issue_search")
