"""Roles, permissions and passphrases: what each role may change, and how secrets are kept."""

from __future__ import annotations

import base64
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from cuspdesk.db import Actor, Database, open_database
from cuspdesk.errors import PermissionDeniedError, ValidationError
from cuspdesk.models import AppSetting, AuditEvent
from cuspdesk.services import access, issues, measures, meetings, rounds, units
from cuspdesk.services.access import Role
from cuspdesk.services.audit import SECRET_SHOWN, list_audit_events
from cuspdesk.services.findings import FindingFields

YESTERDAY = date.today() - timedelta(days=1)


def _unit_and_issue(db: Database) -> tuple[int, int]:
    unit = units.create_unit(db, units.UnitFields(name="5 North"))
    issue = issues.create_issue(
        db,
        unit.id,
        issues.IssueFields(description="Pump alarms unheard", date_identified=YESTERDAY),
    )
    return unit.id, issue.id


def _as(db: Database, role: Role) -> None:
    db.actor = Actor(os_user=db.actor.os_user, role=role.value)


# --- what each role may do -----------------------------------------------------------


def test_team_leader_may_do_everything(any_db: Database) -> None:
    unit_id, issue_id = _unit_and_issue(any_db)
    meetings.create_meeting(any_db, unit_id, meetings.MeetingFields(meeting_date=YESTERDAY))
    measures.create_measure(any_db, unit_id, measures.MeasureFields(name="Falls"))
    issues.change_status(any_db, issue_id, "in_progress")
    access.set_idle_lock_minutes(any_db, 5)
    assert access.idle_lock_minutes(any_db) == 5


def test_viewer_changes_nothing_and_is_told_why(any_db: Database) -> None:
    unit_id, issue_id = _unit_and_issue(any_db)
    before = issues.get_issue(any_db, issue_id)
    _as(any_db, Role.VIEWER)
    attempts = [
        lambda: issues.add_note(any_db, issue_id, "A note"),
        lambda: issues.change_status(any_db, issue_id, "in_progress"),
        lambda: issues.archive_issue(any_db, issue_id, "Duplicate"),
        lambda: units.create_unit(any_db, units.UnitFields(name="6 South")),
        lambda: rounds.create_round(any_db, unit_id, rounds.RoundFields(round_date=YESTERDAY)),
        lambda: access.set_passphrase(any_db, "viewer", "let me in please"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDeniedError) as caught:
            attempt()
        assert str(caught.value) == "Viewers cannot change records; ask the team leader."
    after = issues.get_issue(any_db, issue_id)
    assert after == before
    assert units.list_units(any_db)[0].name == "5 North"
    assert len(units.list_units(any_db)) == 1


def test_executive_reads_and_comments_only(any_db: Database) -> None:
    unit_id, issue_id = _unit_and_issue(any_db)
    _as(any_db, Role.EXECUTIVE)
    note = issues.add_note(any_db, issue_id, "I will raise the pump budget at the Board.")
    assert note.text.startswith("I will raise")
    with pytest.raises(PermissionDeniedError, match="^Executive partners cannot change issues"):
        issues.change_status(any_db, issue_id, "in_progress")
    with pytest.raises(PermissionDeniedError, match="ask the team leader"):
        issues.move_rank(any_db, issue_id, 1)
    with pytest.raises(PermissionDeniedError):
        meetings.create_meeting(any_db, unit_id, meetings.MeetingFields(meeting_date=YESTERDAY))
    assert issues.get_issue(any_db, issue_id).status == "open"


def test_nurse_manager_logs_rounds_and_updates_issues_but_not_the_unit(any_db: Database) -> None:
    unit_id, issue_id = _unit_and_issue(any_db)
    _as(any_db, Role.NURSE_MANAGER)
    done = rounds.create_round(
        any_db,
        unit_id,
        rounds.RoundFields(round_date=YESTERDAY, area="Bay 3"),
        [FindingFields(description="Sharps bin overfull")],
    )
    assert len(done.findings) == 1
    issues.change_status(any_db, issue_id, "in_progress")
    issues.add_note(any_db, issue_id, "Biomed called")
    with pytest.raises(PermissionDeniedError, match="^Nurse managers cannot change meetings"):
        meetings.create_meeting(any_db, unit_id, meetings.MeetingFields(meeting_date=YESTERDAY))
    with pytest.raises(PermissionDeniedError, match="^Nurse managers cannot change the unit"):
        units.update_unit(any_db, unit_id, units.UnitFields(name="Renamed"))
    with pytest.raises(PermissionDeniedError, match="roles, passphrases or settings"):
        access.set_idle_lock_minutes(any_db, 1)


def test_an_unknown_role_changes_nothing(db: Database) -> None:
    _unit_id, issue_id = _unit_and_issue(db)
    db.actor = Actor(os_user="sam", role="superuser")
    with pytest.raises(PermissionDeniedError, match="not one CUSPDesk knows"):
        issues.add_note(db, issue_id, "x")


def test_every_permission_has_a_role_and_typos_are_caught() -> None:
    for roles, what in access.PERMISSIONS.values():
        assert Role.CHAMPION in roles and what
        assert Role.VIEWER not in roles
    with pytest.raises(ValueError, match="unknown permission"):
        access.allowed("champion", "isues.edit")


def test_the_audit_names_the_os_user_and_the_role(any_db: Database) -> None:
    _unit_id, issue_id = _unit_and_issue(any_db)
    any_db.actor = Actor(os_user="pat.nurse", role="champion")
    access.sign_in(any_db, "nurse_manager")
    issues.add_note(any_db, issue_id, "Checked the pumps")
    newest = list_audit_events(any_db, entity="issue_note")[0]
    assert (newest.os_user, newest.role, newest.action) == ("pat.nurse", "nurse_manager", "create")


# --- passphrases ---------------------------------------------------------------------


def test_passphrase_is_stored_only_as_a_salted_hash(db: Database, db_path: Path) -> None:
    secret = "Correct Horse Battery"
    access.set_passphrase(db, "champion", secret)
    access.set_passphrase(db, "nurse_manager", secret)
    with db.reader() as session:
        stored = {
            s.key: s.value
            for s in session.scalars(select(AppSetting).where(AppSetting.key.like("access.%")))
        }
        audit_values = session.scalars(
            select(AuditEvent.new_value).where(AuditEvent.entity == "app_setting")
        ).all()
    champion = stored["access.passphrase.champion"]
    nurse = stored["access.passphrase.nurse_manager"]
    assert champion.startswith("scrypt$") and nurse.startswith("scrypt$")
    assert champion.split("$")[4] != nurse.split("$")[4], "each role gets its own salt"
    assert champion != nurse
    assert all(secret not in (v or "") and champion not in (v or "") for v in audit_values)
    assert any(SECRET_SHOWN in (v or "") for v in audit_values)
    db.dispose()
    raw = db_path.read_bytes() + (
        db_path.with_name(db_path.name + "-wal").read_bytes()
        if db_path.with_name(db_path.name + "-wal").exists()
        else b""
    )
    for form in (secret.encode(), secret.encode("utf-16-le"), base64.b64encode(secret.encode())):
        assert form not in raw


def test_sign_in_checks_the_passphrase(any_db: Database) -> None:
    access.set_passphrase(any_db, "champion", "ward five north")
    assert access.verify_passphrase(any_db, "champion", "ward five north")
    assert not access.verify_passphrase(any_db, "champion", "ward five South")
    assert access.verify_passphrase(any_db, "viewer", "")  # no passphrase set
    access.sign_in(any_db, "viewer")
    with pytest.raises(PermissionDeniedError, match="not right for the team leader"):
        access.sign_in(any_db, "champion", "guess")
    assert any_db.actor.role == "viewer"
    access.sign_in(any_db, "champion", "ward five north")
    assert any_db.actor.role == "champion"


def test_a_damaged_hash_matches_nothing() -> None:
    good = access.hash_passphrase("abcdef")
    assert access.passphrase_matches("abcdef", good)
    parts = good.split("$")
    for broken in (
        "",
        "plain",
        "scrypt$1$2$3",
        "$".join([*parts[:4], "!!!", parts[5]]),
        "$".join(["scrypt", "99999999999", *parts[2:]]),
        "$".join(["md5", *parts[1:]]),
    ):
        assert not access.passphrase_matches("abcdef", broken)


@pytest.mark.parametrize(
    ("passphrase", "message"),
    [
        ("short", "at least 6"),
        ("  padded  ", "spaces"),
        ("x" * 1001, "at most 1000"),
    ],
)
def test_weak_or_odd_passphrases_are_refused(db: Database, passphrase: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        access.set_passphrase(db, "champion", passphrase)
    assert not access.has_passphrase(db, "champion")


def test_removing_a_passphrase(db: Database) -> None:
    access.set_passphrase(db, "executive", "partner passphrase")
    assert access.has_passphrase(db, "executive")
    access.set_passphrase(db, "executive", None)
    assert not access.has_passphrase(db, "executive")


def test_unicode_passphrase(db: Database) -> None:
    access.set_passphrase(db, "champion", "Ünïcødé 日本 🔐")
    assert access.verify_passphrase(db, "champion", "Ünïcødé 日本 🔐")
    assert not access.verify_passphrase(db, "champion", "Unicode 日本 🔐")


def test_unknown_role_name_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="not a role"):
        access.set_passphrase(db, "admin", "secret secret")


# --- remembering the role ------------------------------------------------------------


def test_the_role_is_remembered_per_user_and_per_database(db_path: Path, tmp_path: Path) -> None:
    first = open_database(db_path, actor=Actor("alex", "champion"))
    assert access.startup_role(first) is Role.CHAMPION
    access.sign_in(first, "nurse_manager")
    first.dispose()
    again = open_database(db_path, actor=Actor("alex", "champion"))
    assert access.remembered_role(again) is Role.NURSE_MANAGER
    assert access.startup_role(again) is Role.NURSE_MANAGER
    other_user = open_database(db_path, actor=Actor("blake", "champion"))
    assert access.remembered_role(other_user) is Role.CHAMPION
    other_db = open_database(tmp_path / "other.sqlite3", actor=Actor("alex", "champion"))
    assert access.remembered_role(other_db) is Role.CHAMPION


def test_startup_asks_when_the_remembered_role_has_a_passphrase(db: Database) -> None:
    access.set_passphrase(db, "champion", "team leader only")
    assert access.startup_role(db) is None
    access.sign_in(db, "viewer")
    assert access.startup_role(db) is Role.VIEWER


def test_role_choices_say_which_need_a_passphrase(db: Database) -> None:
    access.set_passphrase(db, "executive", "exec passphrase")
    choices = {c.role: c for c in access.role_choices(db)}
    assert list(choices) == list(Role)
    assert choices[Role.EXECUTIVE].needs_passphrase
    assert not choices[Role.VIEWER].needs_passphrase
    assert choices[Role.CHAMPION].label == "Team leader / unit champion"


# --- idle lock -----------------------------------------------------------------------


def test_idle_lock_defaults_to_fifteen_minutes_and_can_be_changed(any_db: Database) -> None:
    assert access.idle_lock_minutes(any_db) == 15
    access.set_idle_lock_minutes(any_db, 0)
    assert access.idle_lock_minutes(any_db) == 0
    for bad in (-1, 24 * 60 + 1):
        with pytest.raises(ValidationError, match="from 0"):
            access.set_idle_lock_minutes(any_db, bad)
    assert access.idle_lock_minutes(any_db) == 0


def test_a_damaged_idle_setting_falls_back_to_the_default(db: Database) -> None:
    with db.session() as session:
        session.add(AppSetting(key=access.IDLE_MINUTES_KEY, value="soon"))
    assert access.idle_lock_minutes(db) == access.DEFAULT_IDLE_MINUTES
