"""recordings.uploaded_by: the account that brought a recording in always sees it

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 14:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("recordings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uploaded_by", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(
            "fk_recordings_uploaded_by", "users", ["uploaded_by"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("recordings", schema=None) as batch_op:
        batch_op.drop_constraint("fk_recordings_uploaded_by", type_="foreignkey")
        batch_op.drop_column("uploaded_by")
