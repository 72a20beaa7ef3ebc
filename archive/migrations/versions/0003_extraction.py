"""extraction (issue 9: value corrections and review of uncertain values)

Revision ID: 0003
Revises: 0002

value_corrections: an archivist's decision on one extracted value. The extracted value is
never changed; a decision is a new row, the newest for a value wins. Decisions are keyed
by what the value is about (document, indicator, location, unit, period), not by the row
id, so a re-extraction that writes new value rows keeps them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "value_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value_id", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("value_num", sa.Float(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("rejected", sa.Boolean(), nullable=False),
        sa.Column("original", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("value_corrections", schema=None) as batch_op:
        batch_op.create_index("ix_value_corrections_key", ["sha256", "code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("value_corrections", schema=None) as batch_op:
        batch_op.drop_index("ix_value_corrections_key")
    op.drop_table("value_corrections")
