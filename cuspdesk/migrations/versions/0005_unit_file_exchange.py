"""Merging unit files: what each record last agreed with the other side, merged files, conflicts.

``exchange_state`` remembers, per record uuid, the version both sides last held and
the newest file version already merged; ``exchange_source`` the newest export merged
from each other database; ``merge_conflict`` the records changed on both sides,
waiting for a person to choose.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cuspdesk.models.base

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

Stamp = cuspdesk.models.base.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "exchange_state",
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("agreed_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("agreed_with", sa.String(length=36), nullable=True),
        sa.Column("seen_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("updated_at", Stamp(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("record_uuid", name=op.f("pk_exchange_state")),
    )
    op.create_table(
        "exchange_source",
        sa.Column("database_id", sa.String(length=36), nullable=False),
        sa.Column("last_exported_at", Stamp(timezone=True), nullable=False),
        sa.Column("last_merged_at", Stamp(timezone=True), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("database_id", name=op.f("pk_exchange_source")),
    )
    op.create_table(
        "merge_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("target_uuid", sa.String(length=36), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("source_database", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_exported_at", Stamp(timezone=True), nullable=True),
        sa.Column("file_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("file_payload", sa.Text(), nullable=False),
        sa.Column("database_payload", sa.Text(), nullable=False),
        sa.Column("found_at", Stamp(timezone=True), nullable=False),
        sa.Column("decided_at", Stamp(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_merge_conflict_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_conflict")),
    )
    op.create_index(
        op.f("ix_merge_conflict_unit_id_decided_at"),
        "merge_conflict",
        ["unit_id", "decided_at"],
    )
    op.create_index(op.f("ix_merge_conflict_record_uuid"), "merge_conflict", ["record_uuid"])


def downgrade() -> None:
    op.drop_index(op.f("ix_merge_conflict_record_uuid"), table_name="merge_conflict")
    op.drop_index(op.f("ix_merge_conflict_unit_id_decided_at"), table_name="merge_conflict")
    op.drop_table("merge_conflict")
    op.drop_table("exchange_source")
    op.drop_table("exchange_state")
