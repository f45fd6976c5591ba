"""Initial schema: units, people, the tracking log, meetings, rounds, assessments,
defect reviews, measures, aims, audit, settings and drafts.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cuspdesk.models.base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_setting")),
    )
    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=60), nullable=False),
        sa.Column("record_key", sa.String(length=60), nullable=False),
        sa.Column("os_user", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("saved_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft")),
        sa.UniqueConstraint(
            "form", "record_key", "os_user", name=op.f("uq_draft_form_record_key_os_user")
        ),
    )
    op.create_table(
        "person",
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("archived_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("archive_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("uuid", name=op.f("uq_person_uuid")),
    )
    op.create_table(
        "unit",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("hospital", sa.String(length=200), nullable=False),
        sa.Column("service_line", sa.String(length=200), nullable=False),
        sa.Column("bed_count", sa.Integer(), nullable=True),
        sa.Column("cusp_start_date", sa.Date(), nullable=True),
        sa.Column("confidentiality_footer", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("archived_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("archive_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("name", name=op.f("uq_unit_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_unit_uuid")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("os_user", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("entity_uuid", sa.String(length=36), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_audit_event_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_event_entity_entity_id"), ["entity", "entity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_event_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_event_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_name", sa.String(length=40), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_choice_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_choice")),
        sa.UniqueConstraint(
            "list_name", "unit_id", "label", name=op.f("uq_choice_list_name_unit_id_label")
        ),
    )
    with op.batch_alter_table("choice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_choice_list_name_position"), ["list_name", "position"], unique=False
        )

    op.create_table(
        "defect_review",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("how_risk_reduced", sa.Text(), nullable=False),
        sa.Column("harm_reached_patient", sa.Boolean(), nullable=False),
        sa.Column("led_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("archived_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("archive_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_defect_review_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_defect_review")),
        sa.UniqueConstraint("uuid", name=op.f("uq_defect_review_uuid")),
    )
    with op.batch_alter_table("defect_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_defect_review_review_date"), ["review_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_defect_review_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "executive_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_executive_assignment_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_executive_assignment_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_executive_assignment")),
    )
    with op.batch_alter_table("executive_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_executive_assignment_unit_id"), ["unit_id"], unique=False
        )

    op.create_table(
        "safety_round",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("round_date", sa.Date(), nullable=False),
        sa.Column("area", sa.String(length=200), nullable=False),
        sa.Column("executive_id", sa.Integer(), nullable=True),
        sa.Column("questions_asked", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("archived_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("archive_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["executive_id"], ["person.id"], name=op.f("fk_safety_round_executive_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_safety_round_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_round")),
        sa.UniqueConstraint("uuid", name=op.f("uq_safety_round_uuid")),
    )
    with op.batch_alter_table("safety_round", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_round_round_date"), ["round_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_safety_round_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "strategic_aim",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("external_target", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("archived_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("archive_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_strategic_aim_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategic_aim")),
        sa.UniqueConstraint("uuid", name=op.f("uq_strategic_aim_uuid")),
    )
    with op.batch_alter_table("strategic_aim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_strategic_aim_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "contributing_factor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("factor_group", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("positive", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["defect_review.id"],
            name=op.f("fk_contributing_factor_review_id_defect_review"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributing_factor")),
    )
    with op.batch_alter_table("contributing_factor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contributing_factor_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "learning_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=300), nullable=False),
        sa.Column("shared_on", sa.Date(), nullable=True),
        sa.Column("method", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["defect_review.id"],
            name=op.f("fk_learning_share_review_id_defect_review"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_share")),
    )
    with op.batch_alter_table("learning_share", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learning_share_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "measure",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("multiplier", sa.Float(), nullable=False),
        sa.Column("unit_label", sa.String(length=100), nullable=False),
        sa.Column("numerator_label", sa.String(length=100), nullable=False),
        sa.Column("denominator_label", sa.String(length=100), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("chart_kind", sa.String(length=10), nullable=False),
        sa.Column("rule_set", sa.String(length=10), nullable=False),
        sa.Column("aim_id", sa.Integer(), nullable=True),
        sa.Column("key_measure", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("archived_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("archive_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["aim_id"], ["strategic_aim.id"], name=op.f("fk_measure_aim_id_strategic_aim")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_measure_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure")),
        sa.UniqueConstraint("unit_id", "name", name=op.f("uq_measure_unit_id_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_measure_uuid")),
    )
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "meeting",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("kind_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("executive_attended", sa.Boolean(), nullable=False),
        sa.Column("next_meeting_date", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("archived_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("archive_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["kind_id"], ["choice.id"], name=op.f("fk_meeting_kind_id_choice")),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_meeting_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint("uuid", name=op.f("uq_meeting_uuid")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_meeting_date"), ["meeting_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "round_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_round_participant_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["safety_round.id"],
            name=op.f("fk_round_participant_round_id_safety_round"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_participant")),
        sa.UniqueConstraint(
            "round_id", "person_id", name=op.f("uq_round_participant_round_id_person_id")
        ),
    )
    with op.batch_alter_table("round_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_round_participant_round_id"), ["round_id"], unique=False
        )

    op.create_table(
        "team_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_team_member_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["choice.id"], name=op.f("fk_team_member_role_id_choice")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_team_member_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_member")),
        sa.UniqueConstraint("unit_id", "person_id", name=op.f("uq_team_member_unit_id_person_id")),
    )
    op.create_table(
        "agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("presenter", sa.String(length=200), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_agenda_item_meeting_id_meeting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_item")),
    )
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_item_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_decision_meeting_id_meeting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aim_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("target_value", sa.Double(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["aim_id"], ["strategic_aim.id"], name=op.f("fk_goal_aim_id_strategic_aim")
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measure.id"], name=op.f("fk_goal_measure_id_measure")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal")),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_aim_id"), ["aim_id"], unique=False)

    op.create_table(
        "measure_annotation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measure.id"], name=op.f("fk_measure_annotation_measure_id_measure")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_annotation")),
        sa.UniqueConstraint("uuid", name=op.f("uq_measure_annotation_uuid")),
    )
    with op.batch_alter_table("measure_annotation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measure_annotation_measure_id"), ["measure_id"], unique=False
        )

    op.create_table(
        "measure_baseline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("first_period", sa.Date(), nullable=False),
        sa.Column("last_period", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("superseded_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measure.id"], name=op.f("fk_measure_baseline_measure_id_measure")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_baseline")),
    )
    with op.batch_alter_table("measure_baseline", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measure_baseline_measure_id"), ["measure_id"], unique=False
        )

    op.create_table(
        "measure_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("excluded", sa.Boolean(), nullable=False),
        sa.Column("exclude_reason", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measure.id"], name=op.f("fk_measure_point_measure_id_measure")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_point")),
        sa.UniqueConstraint(
            "measure_id", "period", name=op.f("uq_measure_point_measure_id_period")
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_measure_point_uuid")),
    )
    with op.batch_alter_table("measure_point", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measure_point_measure_id"), ["measure_id"], unique=False
        )

    op.create_table(
        "meeting_attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_attendee_meeting_id_meeting")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_meeting_attendee_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendee")),
        sa.UniqueConstraint(
            "meeting_id", "person_id", name=op.f("uq_meeting_attendee_meeting_id_person_id")
        ),
    )
    with op.batch_alter_table("meeting_attendee", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_attendee_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "safety_issue",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("date_identified", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("defect_review_id", sa.Integer(), nullable=True),
        sa.Column("event_report_ref", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=True),
        sa.Column("severity", sa.Integer(), nullable=True),
        sa.Column("mitigate_ability", sa.Integer(), nullable=True),
        sa.Column("implement_ability", sa.Integer(), nullable=True),
        sa.Column("priority_rank", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("sponsor_id", sa.Integer(), nullable=True),
        sa.Column("aim_id", sa.Integer(), nullable=True),
        sa.Column("action_plan", sa.Text(), nullable=False),
        sa.Column("barriers", sa.Text(), nullable=False),
        sa.Column("needs_executive", sa.Boolean(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("date_resolved", sa.Date(), nullable=True),
        sa.Column("date_closed", sa.Date(), nullable=True),
        sa.Column("risk_reduced_evidence", sa.Text(), nullable=False),
        sa.Column("staff_feedback", sa.Text(), nullable=False),
        sa.Column("feedback_date", sa.Date(), nullable=True),
        sa.Column("harm_event", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("archived_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("archive_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open','in_progress','blocked','escalated','resolved','closed')",
            name=op.f("ck_safety_issue_status_known"),
        ),
        sa.CheckConstraint(
            "implement_ability BETWEEN 1 AND 5", name=op.f("ck_safety_issue_implement_range")
        ),
        sa.CheckConstraint(
            "likelihood BETWEEN 1 AND 5", name=op.f("ck_safety_issue_likelihood_range")
        ),
        sa.CheckConstraint(
            "mitigate_ability BETWEEN 1 AND 5", name=op.f("ck_safety_issue_mitigate_range")
        ),
        sa.CheckConstraint("severity BETWEEN 1 AND 5", name=op.f("ck_safety_issue_severity_range")),
        sa.ForeignKeyConstraint(
            ["aim_id"], ["strategic_aim.id"], name=op.f("fk_safety_issue_aim_id_strategic_aim")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["choice.id"], name=op.f("fk_safety_issue_category_id_choice")
        ),
        sa.ForeignKeyConstraint(
            ["defect_review_id"],
            ["defect_review.id"],
            name=op.f("fk_safety_issue_defect_review_id_defect_review"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_safety_issue_meeting_id_meeting")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["person.id"], name=op.f("fk_safety_issue_owner_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["safety_round.id"], name=op.f("fk_safety_issue_round_id_safety_round")
        ),
        sa.ForeignKeyConstraint(
            ["sponsor_id"], ["person.id"], name=op.f("fk_safety_issue_sponsor_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_safety_issue_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_issue")),
        sa.UniqueConstraint("unit_id", "number", name=op.f("uq_safety_issue_unit_id_number")),
        sa.UniqueConstraint("uuid", name=op.f("uq_safety_issue_uuid")),
    )
    with op.batch_alter_table("safety_issue", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_issue_defect_review_id"), ["defect_review_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_safety_issue_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_safety_issue_round_id"), ["round_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_safety_issue_unit_id_date_identified"),
            ["unit_id", "date_identified"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_safety_issue_unit_id_priority_rank"),
            ["unit_id", "priority_rank"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_safety_issue_unit_id_status"), ["unit_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_safety_issue_unit_id_target_date"),
            ["unit_id", "target_date"],
            unique=False,
        )

    op.create_table(
        "assessment_response",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("response_date", sa.Date(), nullable=False),
        sa.Column("respondent_role", sa.String(length=200), nullable=False),
        sa.Column("harm_answer", sa.Text(), nullable=False),
        sa.Column("prevention_answer", sa.Text(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("issue_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("archived_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("archive_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["category_id"], ["choice.id"], name=op.f("fk_assessment_response_category_id_choice")
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["safety_issue.id"],
            name=op.f("fk_assessment_response_issue_id_safety_issue"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_assessment_response_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_response")),
        sa.UniqueConstraint("uuid", name=op.f("uq_assessment_response_uuid")),
    )
    with op.batch_alter_table("assessment_response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_response_issue_id"), ["issue_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_response_response_date"), ["response_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_response_unit_id"), ["unit_id"], unique=False
        )

    op.create_table(
        "issue_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("note_date", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("created_at", cuspdesk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["safety_issue.id"], name=op.f("fk_issue_note_issue_id_safety_issue")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_note")),
        sa.UniqueConstraint("uuid", name=op.f("uq_issue_note_uuid")),
    )
    with op.batch_alter_table("issue_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_note_issue_id"), ["issue_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("issue_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issue_note_issue_id"))

    op.drop_table("issue_note")
    with op.batch_alter_table("assessment_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_response_unit_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_response_response_date"))
        batch_op.drop_index(batch_op.f("ix_assessment_response_issue_id"))

    op.drop_table("assessment_response")
    with op.batch_alter_table("safety_issue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_issue_unit_id_target_date"))
        batch_op.drop_index(batch_op.f("ix_safety_issue_unit_id_status"))
        batch_op.drop_index(batch_op.f("ix_safety_issue_unit_id_priority_rank"))
        batch_op.drop_index(batch_op.f("ix_safety_issue_unit_id_date_identified"))
        batch_op.drop_index(batch_op.f("ix_safety_issue_round_id"))
        batch_op.drop_index(batch_op.f("ix_safety_issue_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_safety_issue_defect_review_id"))

    op.drop_table("safety_issue")
    with op.batch_alter_table("meeting_attendee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_attendee_meeting_id"))

    op.drop_table("meeting_attendee")
    with op.batch_alter_table("measure_point", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_point_measure_id"))

    op.drop_table("measure_point")
    with op.batch_alter_table("measure_baseline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_baseline_measure_id"))

    op.drop_table("measure_baseline")
    with op.batch_alter_table("measure_annotation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_annotation_measure_id"))

    op.drop_table("measure_annotation")
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_aim_id"))

    op.drop_table("goal")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_meeting_id"))

    op.drop_table("decision")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_item_meeting_id"))

    op.drop_table("agenda_item")
    op.drop_table("team_member")
    with op.batch_alter_table("round_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_participant_round_id"))

    op.drop_table("round_participant")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_unit_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_meeting_date"))

    op.drop_table("meeting")
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_unit_id"))

    op.drop_table("measure")
    with op.batch_alter_table("learning_share", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_share_review_id"))

    op.drop_table("learning_share")
    with op.batch_alter_table("contributing_factor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contributing_factor_review_id"))

    op.drop_table("contributing_factor")
    with op.batch_alter_table("strategic_aim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_strategic_aim_unit_id"))

    op.drop_table("strategic_aim")
    with op.batch_alter_table("safety_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_round_unit_id"))
        batch_op.drop_index(batch_op.f("ix_safety_round_round_date"))

    op.drop_table("safety_round")
    with op.batch_alter_table("executive_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_executive_assignment_unit_id"))

    op.drop_table("executive_assignment")
    with op.batch_alter_table("defect_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_defect_review_unit_id"))
        batch_op.drop_index(batch_op.f("ix_defect_review_review_date"))

    op.drop_table("defect_review")
    with op.batch_alter_table("choice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_choice_list_name_position"))

    op.drop_table("choice")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_unit_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_entity_entity_id"))

    op.drop_table("audit_event")
    op.drop_table("unit")
    op.drop_table("person")
    op.drop_table("draft")
    op.drop_table("app_setting")
