"""Alembic environment: runs on the connection CUSPDesk hands it, or on a URL for developers."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from cuspdesk.models import Base
from cuspdesk.models.base import HAND_KEPT_TABLE_PREFIX

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url")
        if url is None:
            raise RuntimeError("set sqlalchemy.url or pass a connection")
        engine = create_engine(url)
        with engine.begin() as conn:
            _run(conn)
        engine.dispose()
        return
    _run(connection)


def modelled(name, type_, parent_names) -> bool:  # type: ignore[no-untyped-def]
    """Autogenerate leaves the hand-kept search tables alone."""
    return not (type_ == "table" and name and name.startswith(HAND_KEPT_TABLE_PREFIX))


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=modelled,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
