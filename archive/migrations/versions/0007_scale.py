"""scale (issue 13: claims across machines)

Revision ID: 0007
Revises: 0006

A slot in the chain reserved for this work; empty until it needs a schema change.
"""

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
