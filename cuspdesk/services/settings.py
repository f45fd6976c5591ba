"""Settings that belong to one database (roles, idle lock, checks), kept in ``app_setting``.

Settings travel with the file: a unit that moves its database to another laptop
keeps its roles and passphrases.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from cuspdesk.db import Database
from cuspdesk.models import AppSetting


def get_setting(db: Database, key: str, default: str = "") -> str:
    with db.reader() as session:
        setting = session.get(AppSetting, key)
        return setting.value if setting is not None else default


def put_setting(session: Session, key: str, value: str | None) -> None:
    """Write (or with ``None`` remove) a setting inside the caller's transaction.

    Callers check the role first; a setting is configuration, not a record, so
    removing one is not an archive.
    """
    setting = session.get(AppSetting, key)
    if value is None:
        if setting is not None:
            session.delete(setting)
        return
    if setting is None:
        session.add(AppSetting(key=key, value=value))
    elif setting.value != value:
        setting.value = value
