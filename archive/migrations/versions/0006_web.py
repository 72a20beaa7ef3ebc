"""web (issue 10: accounts, sessions and search)

Revision ID: 0006
Revises: 0005

A slot in the chain reserved for this work; empty until it needs a schema change.
"""

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
