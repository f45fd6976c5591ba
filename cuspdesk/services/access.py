"""Who may do what: the roles on this computer, their passphrases and the idle lock.

Roles keep a shared ward computer from being used to change records by someone
who should only read them. They are not encryption: anyone who can copy the
database file can read it, which is why the README asks for disk encryption.
Passphrases are stored only as salted scrypt hashes and checked in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from cuspdesk.db import Actor, Database
from cuspdesk.errors import PermissionDeniedError, ValidationError
from cuspdesk.services.settings import get_setting, put_setting


class Role(StrEnum):
    CHAMPION = "champion"
    NURSE_MANAGER = "nurse_manager"
    EXECUTIVE = "executive"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.CHAMPION: "Team leader / unit champion",
    Role.NURSE_MANAGER: "Nurse manager",
    Role.EXECUTIVE: "Executive partner",
    Role.VIEWER: "Viewer",
}
ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.CHAMPION: "Can do everything, including roles and settings.",
    Role.NURSE_MANAGER: "Logs safety round findings and updates issues.",
    Role.EXECUTIVE: "Reads everything and adds notes to issues.",
    Role.VIEWER: "Reads everything; changes nothing.",
}
# How a refusal names the people in a role.
_ROLE_PLURALS: dict[Role, str] = {
    Role.CHAMPION: "Team leaders",
    Role.NURSE_MANAGER: "Nurse managers",
    Role.EXECUTIVE: "Executive partners",
    Role.VIEWER: "Viewers",
}

# permission -> (roles that hold it, what it lets them do, in words for a refusal)
PERMISSIONS: dict[str, tuple[frozenset[Role], str]] = {
    "issues.edit": (
        frozenset({Role.CHAMPION, Role.NURSE_MANAGER}),
        "change issues in the tracking log",
    ),
    "issues.comment": (
        frozenset({Role.CHAMPION, Role.NURSE_MANAGER, Role.EXECUTIVE}),
        "add notes to issues",
    ),
    "rounds.edit": (
        frozenset({Role.CHAMPION, Role.NURSE_MANAGER}),
        "log safety rounds",
    ),
    "records.edit": (
        frozenset({Role.CHAMPION}),
        "change meetings, staff safety assessments, defect reviews or measures",
    ),
    "unit.manage": (
        frozenset({Role.CHAMPION}),
        "change the unit, its team, its aims or its lists",
    ),
    "unit.merge": (
        frozenset({Role.CHAMPION}),
        "merge unit files or decide merge conflicts",
    ),
    "settings.manage": (
        frozenset({Role.CHAMPION}),
        "change roles, passphrases or settings",
    ),
}

PASSPHRASE_KEY = "access.passphrase."
REMEMBERED_ROLE_KEY = "access.role."
IDLE_MINUTES_KEY = "access.idle_minutes"
DEFAULT_IDLE_MINUTES = 15
MAX_IDLE_MINUTES = 24 * 60
MIN_PASSPHRASE_CHARS = 6
MAX_PASSPHRASE_CHARS = 1000

# scrypt cost: about 0.2 s on a 2-core laptop, 32 MiB of memory per check.
_SCRYPT_N = 2**15
_SCRYPT_R = 8
_SCRYPT_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32


# --- roles and permissions -------------------------------------------------------------


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ValidationError(f"“{value}” is not a role CUSPDesk knows.", "role") from None


def allowed(role: str, permission: str) -> bool:
    """Whether ``role`` holds ``permission`` (an unknown role holds nothing)."""
    roles, _what = _permission(permission)
    return role in {r.value for r in roles}


def require(holder: Database | Session, permission: str) -> None:
    """Refuse, in one sentence, when the role in use may not do this.

    ``holder`` is a ``Database`` or a session; every service that writes calls
    this first, so the GUI, the command line and scripts obey the same rules.
    """
    role = _actor_of(holder).role
    if allowed(role, permission):
        return
    _roles, what = _permission(permission)
    try:
        known = Role(role)
    except ValueError:
        raise PermissionDeniedError(
            f"The role “{role}” is not one CUSPDesk knows, so nothing can be changed; "
            "choose your role again."
        ) from None
    if known is Role.VIEWER:
        raise PermissionDeniedError("Viewers cannot change records; ask the team leader.")
    raise PermissionDeniedError(f"{_ROLE_PLURALS[known]} cannot {what}; ask the team leader.")


def _actor_of(holder: Database | Session) -> Actor:
    if isinstance(holder, Database):
        return holder.actor
    actor = holder.info.get("actor")
    # A session not made by Database.session() has no actor: treat it as the least trusted.
    return actor if isinstance(actor, Actor) else Actor(os_user="", role=Role.VIEWER.value)


def _permission(permission: str) -> tuple[frozenset[Role], str]:
    try:
        return PERMISSIONS[permission]
    except KeyError:
        raise ValueError(f"unknown permission {permission!r}") from None


# --- passphrases ---------------------------------------------------------------------


def hash_passphrase(passphrase: str) -> str:
    """A self-describing salted scrypt hash: ``scrypt$n$r$p$salt$key`` (base64)."""
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _scrypt(passphrase, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    return "$".join(
        ["scrypt", str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P), _b64(salt), _b64(key)]
    )


def passphrase_matches(passphrase: str, stored: str) -> bool:
    """Check against a stored hash in constant time; a damaged hash matches nothing."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
        if not (2 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16):
            return False
        actual = _scrypt(passphrase, salt, n, r, p, len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int, size: int = _KEY_BYTES) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=256 * n * r + 1024 * 1024,
        dklen=size,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def has_passphrase(db: Database, role: str) -> bool:
    return bool(get_setting(db, PASSPHRASE_KEY + parse_role(role).value))


def set_passphrase(db: Database, role: str, passphrase: str | None) -> None:
    """Set (or with ``None``/empty, remove) the passphrase that unlocks ``role``."""
    require(db, "settings.manage")
    chosen = parse_role(role)
    value: str | None = None
    if passphrase:
        if passphrase != passphrase.strip() or not passphrase.strip():
            raise ValidationError("A passphrase cannot start or end with spaces.", "passphrase")
        if len(passphrase) < MIN_PASSPHRASE_CHARS:
            raise ValidationError(
                f"A passphrase needs at least {MIN_PASSPHRASE_CHARS} characters.", "passphrase"
            )
        if len(passphrase) > MAX_PASSPHRASE_CHARS:
            raise ValidationError(
                f"A passphrase can have at most {MAX_PASSPHRASE_CHARS} characters.", "passphrase"
            )
        value = hash_passphrase(passphrase)
    with db.session() as session:
        put_setting(session, PASSPHRASE_KEY + chosen.value, value)


def verify_passphrase(db: Database, role: str, passphrase: str) -> bool:
    """True when ``role`` has no passphrase, or ``passphrase`` is the right one."""
    stored = get_setting(db, PASSPHRASE_KEY + parse_role(role).value)
    if not stored:
        return True
    return passphrase_matches(passphrase, stored)


# --- choosing a role -----------------------------------------------------------------


@dataclass(frozen=True)
class RoleChoice:
    """What the role chooser offers: each role, and whether it asks for a passphrase."""

    role: Role
    label: str
    description: str
    needs_passphrase: bool


def role_choices(db: Database) -> list[RoleChoice]:
    return [
        RoleChoice(role, role.label, ROLE_DESCRIPTIONS[role], has_passphrase(db, role))
        for role in Role
    ]


def remembered_role(db: Database) -> Role:
    """The role this computer's user chose last time in this database (team leader at first)."""
    stored = get_setting(db, REMEMBERED_ROLE_KEY + db.actor.os_user, Role.CHAMPION.value)
    try:
        return Role(stored)
    except ValueError:
        return Role.VIEWER


def startup_role(db: Database) -> Role | None:
    """The role to start in without asking, or ``None`` when its passphrase must be typed."""
    role = remembered_role(db)
    return None if has_passphrase(db, role) else role


def sign_in(db: Database, role: str, passphrase: str = "") -> Actor:
    """Switch ``db`` to ``role`` after checking its passphrase; remembered for next time.

    From now on every change saved through ``db`` is made, and audited, as this role.
    """
    chosen = parse_role(role)
    if not verify_passphrase(db, chosen, passphrase):
        raise PermissionDeniedError(
            f"That passphrase is not right for the {chosen.label.lower()} role; try again."
        )
    db.actor = Actor(os_user=db.actor.os_user, role=chosen.value)
    if not db.read_only:
        key = REMEMBERED_ROLE_KEY + db.actor.os_user
        if get_setting(db, key) != chosen.value:
            with db.session() as session:
                put_setting(session, key, chosen.value)
    return db.actor


# --- idle lock -----------------------------------------------------------------------


def idle_lock_minutes(db: Database) -> int:
    """Minutes without input before the app locks; 0 means never."""
    stored = get_setting(db, IDLE_MINUTES_KEY)
    try:
        minutes = int(stored) if stored else DEFAULT_IDLE_MINUTES
    except ValueError:
        return DEFAULT_IDLE_MINUTES
    return minutes if 0 <= minutes <= MAX_IDLE_MINUTES else DEFAULT_IDLE_MINUTES


def set_idle_lock_minutes(db: Database, minutes: int) -> None:
    require(db, "settings.manage")
    if not 0 <= minutes <= MAX_IDLE_MINUTES:
        raise ValidationError(
            f"The idle lock must be from 0 (never) to {MAX_IDLE_MINUTES:,} minutes.",
            "idle_minutes",
        )
    with db.session() as session:
        put_setting(session, IDLE_MINUTES_KEY, str(minutes))
