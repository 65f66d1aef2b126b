"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    
    op.create_table('catalogue_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_state'))
    )
    op.create_table('certifications',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('label_nl', sa.String(length=120), nullable=False),
    sa.Column('label_en', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_certifications'))
    )
    op.create_table('companies',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('registration_country', sa.String(length=2), nullable=False),
    sa.Column('registration_number', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('website', sa.String(length=2048), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('available_from', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'active', 'inactive')", name=op.f('ck_companies_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies')),
    sa.UniqueConstraint('registration_country', 'registration_number', name=op.f('uq_companies_registration_country_registration_number'))
    )
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_companies_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_companies_status'), ['status'], unique=False)

    op.create_table('work_kinds',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('parent_code', sa.String(length=64), nullable=True),
    sa.Column('label_nl', sa.String(length=120), nullable=False),
    sa.Column('label_en', sa.String(length=120), nullable=False),
    sa.Column('nace_codes', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_code'], ['work_kinds.code'], name=op.f('fk_work_kinds_parent_code_work_kinds'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_work_kinds'))
    )
    with op.batch_alter_table('work_kinds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_kinds_parent_code'), ['parent_code'], unique=False)

    op.create_table('api_keys',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('prefix', sa.String(length=40), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('allowed_origins', sa.JSON(), nullable=False),
    sa.Column('publishable', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("role <> 'company' OR company_id IS NOT NULL", name=op.f('ck_api_keys_company_bound')),
    sa.CheckConstraint("role IN ('admin', 'company', 'entrepreneur', 'partner')", name=op.f('ck_api_keys_role')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_api_keys_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('prefix', name=op.f('uq_api_keys_prefix'))
    )
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_keys_company_id'), ['company_id'], unique=False)

    op.create_table('capabilities',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('work_kind_code', sa.String(length=64), nullable=False),
    sa.Column('capacity_workers', sa.Integer(), nullable=False),
    sa.Column('batch_min', sa.Integer(), nullable=True),
    sa.Column('batch_max', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('capacity_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('capacity_workers >= 0', name=op.f('ck_capabilities_capacity_non_negative')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_capabilities_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_kind_code'], ['work_kinds.code'], name=op.f('fk_capabilities_work_kind_code_work_kinds'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capabilities')),
    sa.UniqueConstraint('company_id', 'work_kind_code', name=op.f('uq_capabilities_company_id_work_kind_code'))
    )
    with op.batch_alter_table('capabilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capabilities_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capabilities_work_kind_code'), ['work_kind_code'], unique=False)

    op.create_table('company_certifications',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('certification_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['certification_code'], ['certifications.code'], name=op.f('fk_company_certifications_certification_code_certifications'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_company_certifications_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('company_id', 'certification_code', name=op.f('pk_company_certifications'))
    )
    with op.batch_alter_table('company_certifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_certifications_certification_code'), ['certification_code'], unique=False)

    op.create_table('contact_persons',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=120), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_contact_persons_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_persons'))
    )
    with op.batch_alter_table('contact_persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_persons_company_id'), ['company_id'], unique=False)

    op.create_table('sites',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('postcode', sa.String(length=16), nullable=True),
    sa.Column('city', sa.String(length=120), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('location_source', sa.String(length=16), nullable=False),
    sa.Column('service_radius_km', sa.Float(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('lat BETWEEN -90 AND 90', name=op.f('ck_sites_lat_range')),
    sa.CheckConstraint('lon BETWEEN -180 AND 180', name=op.f('ck_sites_lon_range')),
    sa.CheckConstraint('service_radius_km > 0', name=op.f('ck_sites_radius_positive')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_sites_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('company_id', 'name', name=op.f('uq_sites_company_id_name'))
    )
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sites_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_country'), ['country'], unique=False)

    op.create_table('capability_sites',
    sa.Column('capability_id', sa.Uuid(), nullable=False),
    sa.Column('site_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['capability_id'], ['capabilities.id'], name=op.f('fk_capability_sites_capability_id_capabilities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_capability_sites_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('capability_id', 'site_id', name=op.f('pk_capability_sites'))
    )
    with op.batch_alter_table('capability_sites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capability_sites_site_id'), ['site_id'], unique=False)

    op.create_table('requests',
    sa.Column('owner_key_id', sa.Uuid(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=320), nullable=True),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'published', 'closed')", name=op.f('ck_requests_status')),
    sa.ForeignKeyConstraint(['owner_key_id'], ['api_keys.id'], name=op.f('fk_requests_owner_key_id_api_keys'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requests'))
    )
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requests_owner_key_id'), ['owner_key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_status'), ['status'], unique=False)




def downgrade() -> None:
    
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requests_status'))
        batch_op.drop_index(batch_op.f('ix_requests_owner_key_id'))

    op.drop_table('requests')
    with op.batch_alter_table('capability_sites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capability_sites_site_id'))

    op.drop_table('capability_sites')
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sites_country'))
        batch_op.drop_index(batch_op.f('ix_sites_company_id'))

    op.drop_table('sites')
    with op.batch_alter_table('contact_persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_persons_company_id'))

    op.drop_table('contact_persons')
    with op.batch_alter_table('company_certifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_certifications_certification_code'))

    op.drop_table('company_certifications')
    with op.batch_alter_table('capabilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capabilities_work_kind_code'))
        batch_op.drop_index(batch_op.f('ix_capabilities_company_id'))

    op.drop_table('capabilities')
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_company_id'))

    op.drop_table('api_keys')
    with op.batch_alter_table('work_kinds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_kinds_parent_code'))

    op.drop_table('work_kinds')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_companies_status'))
        batch_op.drop_index(batch_op.f('ix_companies_name'))

    op.drop_table('companies')
    op.drop_table('certifications')
    op.drop_table('catalogue_state')

