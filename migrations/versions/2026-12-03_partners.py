"""partners: organisations, what companies and organisations offer and seek, partnerships,
local networks and their change feed

Revision ID: 0350
Revises: 0200
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0350"
down_revision: str | None = "0200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('networks',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('website', sa.String(length=2048), nullable=True),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_networks'))
    )
    with op.batch_alter_table('networks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_networks_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_networks_owner_id'), ['owner_id'], unique=False)

    op.create_table('organisations',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('website', sa.String(length=2048), nullable=True),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('employer', 'employers-cooperative', 'care-institution', 'startup', 'municipality', 'government', 'shop', 'design-studio', 'other')", name=op.f('ck_organisations_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_name'), ['name'], unique=False)

    op.create_table('relation_changes',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_relation_changes'))
    )
    with op.batch_alter_table('relation_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relation_changes_subject_id'), ['subject_id'], unique=False)

    op.create_table('network_members',
    sa.Column('network_id', sa.Uuid(), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("role IN ('coordinator', 'member', 'supporter')", name=op.f('ck_network_members_role')),
    sa.CheckConstraint('(company_id IS NULL) <> (organisation_id IS NULL)', name=op.f('ck_network_members_one_member')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_network_members_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_members_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_network_members_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_members'))
    )
    with op.batch_alter_table('network_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_members_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_members_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_members_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('organisation_members',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_members_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'account_id', name=op.f('pk_organisation_members'))
    )
    with op.batch_alter_table('organisation_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_members_account_id'), ['account_id'], unique=False)

    op.create_table('partnerships',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('to_company', sa.JSON(), nullable=False),
    sa.Column('to_organisation', sa.JSON(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('company_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('organisation_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('request_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('customer', 'supplier', 'full-partnership', 'cooperative-member')", name=op.f('ck_partnerships_kind')),
    sa.CheckConstraint("status IN ('proposed', 'active', 'ended')", name=op.f('ck_partnerships_status')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_partnerships_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_partnerships_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_partnerships_request_id_requests'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnerships'))
    )
    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnerships_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnerships_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnerships_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnerships_status'), ['status'], unique=False)

    op.create_table('profile_items',
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('facet', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=16), nullable=True),
    sa.Column('period', sa.String(length=8), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("direction IN ('offers', 'seeks')", name=op.f('ck_profile_items_direction')),
    sa.CheckConstraint("facet IN ('work_kind', 'expertise', 'material', 'partnership')", name=op.f('ck_profile_items_facet')),
    sa.CheckConstraint('(company_id IS NULL) <> (organisation_id IS NULL)', name=op.f('ck_profile_items_one_owner')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_profile_items_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_profile_items_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_items'))
    )
    with op.batch_alter_table('profile_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_items_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_profile_items_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_profile_items_organisation_id'), ['organisation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('profile_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_items_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_profile_items_company_id'))
        batch_op.drop_index(batch_op.f('ix_profile_items_code'))

    op.drop_table('profile_items')
    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partnerships_status'))
        batch_op.drop_index(batch_op.f('ix_partnerships_request_id'))
        batch_op.drop_index(batch_op.f('ix_partnerships_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_partnerships_company_id'))

    op.drop_table('partnerships')
    with op.batch_alter_table('organisation_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_members_account_id'))

    op.drop_table('organisation_members')
    with op.batch_alter_table('network_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_members_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_network_members_network_id'))
        batch_op.drop_index(batch_op.f('ix_network_members_company_id'))

    op.drop_table('network_members')
    with op.batch_alter_table('relation_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relation_changes_subject_id'))

    op.drop_table('relation_changes')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_name'))

    op.drop_table('organisations')
    with op.batch_alter_table('networks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_networks_owner_id'))
        batch_op.drop_index(batch_op.f('ix_networks_name'))

    op.drop_table('networks')
