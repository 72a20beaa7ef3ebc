"""packets (issue 8: annual review packets and bonus awards)

Revision ID: 0005
Revises: 0004

packets: every packet given out, its ZIP stored write-once as a blob (area `packets`);
bonus_awards: 创新加分 awarded by hand, with who and why (each also an audit event).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "packets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("sm3", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("manifest", sa.JSON(), nullable=False),
        sa.Column("archive_state", sa.String(length=64), nullable=False),
        sa.Column("as_of", sa.String(length=40), nullable=False),
        sa.Column("unmasked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("packets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_packets_year"), ["year"], unique=False)
        batch_op.create_index(batch_op.f("ix_packets_sha256"), ["sha256"], unique=False)
    op.create_table(
        "bonus_awards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("awarded_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bonus_awards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bonus_awards_year"), ["year"], unique=False)


def downgrade() -> None:
    op.drop_table("bonus_awards")
    op.drop_table("packets")
