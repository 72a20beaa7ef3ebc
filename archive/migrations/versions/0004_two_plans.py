"""two_plans (issues 9 and 12: two-plans rows kept whatever their name)

Revision ID: 0004
Revises: 0003

A slot in the chain reserved for this work; empty until it needs a schema change.
"""

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
