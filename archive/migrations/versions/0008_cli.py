"""cli (issue 11: command line)

Revision ID: 0008
Revises: 0007

A slot in the chain reserved for this work; empty until it needs a schema change.
"""

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
