"""key owners: requests belong to an account, not to one key, so rotation keeps them

Adds `api_keys.owner_id` (shared by a key and its rotations; the company id for company keys)
and `api_keys.rotated_from_id`, and replaces `requests.owner_key_id` by `requests.owner_id`.

Revision ID: 0004
Revises: 0100
Create Date: 2026-11-23
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("owner_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("rotated_from_id", sa.Uuid(), nullable=True))
    op.execute("UPDATE api_keys SET owner_id = COALESCE(company_id, id)")
    with op.batch_alter_table("api_keys") as batch:
        batch.alter_column("owner_id", existing_type=sa.Uuid(), nullable=False)
        batch.create_index(batch.f("ix_api_keys_owner_id"), ["owner_id"], unique=False)

    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("owner_id", sa.Uuid(), nullable=True))
    op.execute(
        "UPDATE requests SET owner_id = "
        "(SELECT api_keys.owner_id FROM api_keys WHERE api_keys.id = requests.owner_key_id)"
    )
    with op.batch_alter_table("requests") as batch:
        batch.drop_index(batch.f("ix_requests_owner_key_id"))
        batch.drop_constraint("fk_requests_owner_key_id_api_keys", type_="foreignkey")
        batch.drop_column("owner_key_id")
        batch.create_index(batch.f("ix_requests_owner_id"), ["owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("owner_key_id", sa.Uuid(), nullable=True))
    # Any key of the owning account will do: the oldest.
    op.execute(
        "UPDATE requests SET owner_key_id = (SELECT api_keys.id FROM api_keys "
        "WHERE api_keys.owner_id = requests.owner_id ORDER BY api_keys.created_at LIMIT 1)"
    )
    with op.batch_alter_table("requests") as batch:
        batch.drop_index(batch.f("ix_requests_owner_id"))
        batch.drop_column("owner_id")
        batch.create_foreign_key(
            "fk_requests_owner_key_id_api_keys", "api_keys", ["owner_key_id"], ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(batch.f("ix_requests_owner_key_id"), ["owner_key_id"], unique=False)
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_index(batch.f("ix_api_keys_owner_id"))
        batch.drop_column("rotated_from_id")
        batch.drop_column("owner_id")
