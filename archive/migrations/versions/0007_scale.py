"""scale (issue 13: claims across machines)

Revision ID: 0007
Revises: 0006

The claims table: work taken by one process under a lease (archive/claims.py). An index on
submissions (status, id): the newest page of one status (the review queue) without a sort of
every row in that status (bench/scale.py: 15 → 2 ms at 1,000,000 submissions).
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_claims_expires_at", "claims", ["expires_at"], unique=False)
    op.create_index("ix_submissions_status_id", "submissions", ["status", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_submissions_status_id", table_name="submissions")
    op.drop_index("ix_claims_expires_at", table_name="claims")
    op.drop_table("claims")
