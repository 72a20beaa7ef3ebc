"""web (issue 10: accounts, sessions and search)

Revision ID: 0006
Revises: 0005

Accounts, server-side sessions and login attempts live in the archive's database, so
that disabling a user ends their sessions and several web processes share one rate limit.

Full-text search over the newest extraction text: SQLite FTS5 with the trigram
tokenizer (it splits Chinese, which has no spaces, into overlapping 3-character
pieces), kept current by triggers; PostgreSQL a pg_trgm GIN index on the same column.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE extraction_fts USING fts5(text, content='extractions', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER extraction_fts_ai AFTER INSERT ON extractions BEGIN "
    "INSERT INTO extraction_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER extraction_fts_ad AFTER DELETE ON extractions BEGIN "
    "INSERT INTO extraction_fts(extraction_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER extraction_fts_au AFTER UPDATE OF text ON extractions BEGIN "
    "INSERT INTO extraction_fts(extraction_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO extraction_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO extraction_fts(extraction_fts) VALUES ('rebuild')",
)
POSTGRES_SEARCH = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_extractions_text_trgm ON extractions USING gin (text gin_trgm_ops)",
)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("changed_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created", sa.Float(), nullable=False),
        sa.Column("seen", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_web_sessions_user", "web_sessions", ["user_id"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_attempts_account", "login_attempts", ["account", "at"])
    op.create_index("ix_login_attempts_address", "login_attempts", ["address", "at"])
    for statement in SQLITE_SEARCH if op.get_bind().dialect.name == "sqlite" else POSTGRES_SEARCH:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("extraction_fts_ai", "extraction_fts_ad", "extraction_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS extraction_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_extractions_text_trgm")
    op.drop_table("login_attempts")
    op.drop_table("web_sessions")
    op.drop_table("users")
