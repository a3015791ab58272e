"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-30 02:52:13.526332
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('admin_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tree', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('short_name', sa.String(length=128), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('bbox_west', sa.Float(), nullable=True),
    sa.Column('bbox_south', sa.Float(), nullable=True),
    sa.Column('bbox_east', sa.Float(), nullable=True),
    sa.Column('bbox_north', sa.Float(), nullable=True),
    sa.Column('children_u16', sa.Integer(), nullable=True),
    sa.Column('children_source', sa.String(length=16), nullable=True),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.CheckConstraint("level IN ('country', 'province', 'district', 'commune')", name=op.f('ck_admin_unit_level')),
    sa.CheckConstraint("tree IN ('legacy', '2025')", name=op.f('ck_admin_unit_tree')),
    sa.CheckConstraint('children_u16 IS NULL OR children_u16 >= 0', name=op.f('ck_admin_unit_children')),
    sa.CheckConstraint('valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to', name=op.f('ck_admin_unit_validity')),
    sa.ForeignKeyConstraint(['parent_id'], ['admin_unit.id'], name=op.f('fk_admin_unit_parent_id_admin_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_unit')),
    sa.UniqueConstraint('tree', 'code', name=op.f('uq_admin_unit_tree_code'))
    )
    with op.batch_alter_table('admin_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_unit_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_unit_parent_id'), ['parent_id'], unique=False)

    op.create_table('indicator',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_vi', sa.String(length=255), nullable=False),
    sa.Column('name_en', sa.String(length=255), nullable=False),
    sa.Column('measure', sa.String(length=16), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.CheckConstraint("direction IN ('higher', 'lower', 'none')", name=op.f('ck_indicator_direction')),
    sa.CheckConstraint("level IN ('country', 'province', 'district', 'commune')", name=op.f('ck_indicator_level')),
    sa.CheckConstraint("measure IN ('percent', 'count', 'vnd')", name=op.f('ck_indicator_measure')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_indicator'))
    )
    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_meta'))
    )
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('scope_unit_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'province', 'district', 'commune', 'viewer')", name=op.f('ck_app_user_role')),
    sa.ForeignKeyConstraint(['scope_unit_id'], ['admin_unit.id'], name=op.f('fk_app_user_scope_unit_id_admin_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    op.create_table('boundary',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('geom_wkb', sa.LargeBinary(), nullable=False),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_unit.id'], name=op.f('fk_boundary_unit_id_admin_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_boundary'))
    )
    op.create_table('child_friendly_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('regime', sa.String(length=16), nullable=False),
    sa.Column('round_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('total_score', sa.Integer(), nullable=True),
    sa.Column('threshold', sa.Integer(), nullable=True),
    sa.Column('has_zero_criterion', sa.Boolean(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.CheckConstraint("regime IN ('QD37_2010', 'QD34_2014', 'QD06_2019')", name=op.f('ck_child_friendly_assessment_regime')),
    sa.CheckConstraint("status IN ('NOT_REGISTERED', 'REGISTERED', 'SELF_ASSESSED', 'SUBMITTED', 'RECOGNISED_NEW', 'RECOGNISED_MAINTAINED', 'NOT_RECOGNISED', 'UNIT_ABOLISHED')", name=op.f('ck_child_friendly_assessment_status')),
    sa.CheckConstraint('threshold IS NULL OR threshold > 0', name=op.f('ck_child_friendly_assessment_threshold')),
    sa.CheckConstraint('total_score IS NULL OR (total_score >= 0 AND total_score <= 1000)', name=op.f('ck_child_friendly_assessment_score')),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_unit.id'], name=op.f('fk_child_friendly_assessment_unit_id_admin_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_friendly_assessment')),
    sa.UniqueConstraint('unit_id', 'round_date', name=op.f('uq_child_friendly_assessment_unit_id_round_date'))
    )
    with op.batch_alter_table('child_friendly_assessment', schema=None) as batch_op:
        batch_op.create_index('ix_cfa_round_unit', ['round_date', 'unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_friendly_assessment_unit_id'), ['unit_id'], unique=False)

    op.create_table('fund_contribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('contributed_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('source_type', sa.String(length=16), nullable=False),
    sa.Column('amount_dong', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("kind IN ('cash', 'in_kind', 'programme')", name=op.f('ck_fund_contribution_kind')),
    sa.CheckConstraint("source_type IN ('enterprise', 'individual', 'organisation', 'state_budget', 'international')", name=op.f('ck_fund_contribution_source_type')),
    sa.CheckConstraint('amount_dong > 0', name=op.f('ck_fund_contribution_amount')),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_unit.id'], name=op.f('fk_fund_contribution_unit_id_admin_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_contribution'))
    )
    with op.batch_alter_table('fund_contribution', schema=None) as batch_op:
        batch_op.create_index('ix_fund_contribution_unit_date', ['unit_id', 'contributed_on'], unique=False)

    op.create_table('fund_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount_dong', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount_dong >= 0', name=op.f('ck_fund_target_amount')),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_unit.id'], name=op.f('fk_fund_target_unit_id_admin_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_target')),
    sa.UniqueConstraint('unit_id', 'year', name=op.f('uq_fund_target_unit_id_year'))
    )
    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=8), nullable=False),
    sa.Column('type_code', sa.String(length=16), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('age_band', sa.String(length=8), nullable=False),
    sa.Column('environment', sa.String(length=16), nullable=True),
    sa.Column('intent', sa.String(length=16), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('supported_in_time', sa.Boolean(), nullable=True),
    sa.CheckConstraint("(category = 'abuse' AND type_code IN ('AB_VIOL', 'AB_EXPL', 'AB_SEX', 'AB_TRAF', 'AB_ABAND', 'AB_NEGL', 'AB_OTHER')) OR (category = 'injury' AND type_code IN ('INJ_DROWN', 'INJ_TRAFFIC', 'INJ_FALL', 'INJ_BURN', 'INJ_POISON', 'INJ_ANIMAL', 'INJ_ELEC', 'INJ_CHOKE', 'INJ_SHARP', 'INJ_MACHINE', 'INJ_EXPLOSIVE', 'INJ_VIOL', 'INJ_SELF', 'INJ_OTHER'))", name=op.f('ck_incident_type_code')),
    sa.CheckConstraint("age_band IN ('0_5', '6_10', '11_15')", name=op.f('ck_incident_age_band')),
    sa.CheckConstraint("category IN ('abuse', 'injury')", name=op.f('ck_incident_category')),
    sa.CheckConstraint("environment IS NULL OR environment IN ('FAMILY', 'SCHOOL', 'COMMUNITY', 'ONLINE')", name=op.f('ck_incident_environment')),
    sa.CheckConstraint("intent IS NULL OR intent IN ('unintentional', 'intentional')", name=op.f('ck_incident_intent')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('fatal', 'non_fatal')", name=op.f('ck_incident_outcome')),
    sa.CheckConstraint("sex IN ('F', 'M')", name=op.f('ck_incident_sex')),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_unit.id'], name=op.f('fk_incident_unit_id_admin_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index('ix_incident_date_category', ['occurred_on', 'category'], unique=False)
        batch_op.create_index('ix_incident_unit_date', ['unit_id', 'occurred_on'], unique=False)

    op.create_table('indicator_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('comparator', sa.String(length=2), nullable=False),
    sa.Column('target_value', sa.Float(), nullable=False),
    sa.CheckConstraint("comparator IN ('>=', '<=', '>', '<', '=')", name=op.f('ck_indicator_target_comparator')),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicator.code'], name=op.f('fk_indicator_target_indicator_code_indicator')),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_unit.id'], name=op.f('fk_indicator_target_unit_id_admin_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_target')),
    sa.UniqueConstraint('indicator_code', 'unit_id', 'year', name=op.f('uq_indicator_target_indicator_code_unit_id_year'))
    )
    op.create_table('indicator_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicator.code'], name=op.f('fk_indicator_value_indicator_code_indicator')),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_unit.id'], name=op.f('fk_indicator_value_unit_id_admin_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_value')),
    sa.UniqueConstraint('indicator_code', 'unit_id', 'year', name=op.f('uq_indicator_value_indicator_code_unit_id_year'))
    )
    op.create_table('report_schedule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_code', sa.String(length=32), nullable=False),
    sa.Column('report_type', sa.String(length=16), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('from_level', sa.String(length=16), nullable=False),
    sa.Column('to_level', sa.String(length=16), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('due_inclusive', sa.Boolean(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("from_level IN ('country', 'province', 'district', 'commune')", name=op.f('ck_report_schedule_from_level')),
    sa.CheckConstraint("report_type IN ('Q1', 'H1', 'M9', 'ANNUAL', 'ADHOC', 'THEMATIC')", name=op.f('ck_report_schedule_report_type')),
    sa.CheckConstraint("to_level IN ('country', 'province', 'district', 'commune')", name=op.f('ck_report_schedule_to_level')),
    sa.CheckConstraint('period_start <= period_end', name=op.f('ck_report_schedule_period')),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['admin_unit.id'], name=op.f('fk_report_schedule_jurisdiction_id_admin_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_schedule')),
    sa.UniqueConstraint('plan_code', 'report_type', 'period_start', 'from_level', 'jurisdiction_id', name=op.f('uq_report_schedule_plan_code_report_type_period_start_from_level_jurisdiction_id'))
    )
    with op.batch_alter_table('report_schedule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_schedule_due_date'), ['due_date'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('remote_addr', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_audit_log_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('child_friendly_score',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('criterion_code', sa.String(length=8), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.CheckConstraint('score >= 0', name=op.f('ck_child_friendly_score_score')),
    sa.ForeignKeyConstraint(['assessment_id'], ['child_friendly_assessment.id'], name=op.f('fk_child_friendly_score_assessment_id_child_friendly_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'criterion_code', name=op.f('pk_child_friendly_score'))
    )
    op.create_table('report_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.CheckConstraint('version >= 1', name=op.f('ck_report_submission_version')),
    sa.ForeignKeyConstraint(['schedule_id'], ['report_schedule.id'], name=op.f('fk_report_submission_schedule_id_report_schedule')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['app_user.id'], name=op.f('fk_report_submission_submitted_by_id_app_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_unit.id'], name=op.f('fk_report_submission_unit_id_admin_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_submission')),
    sa.UniqueConstraint('schedule_id', 'unit_id', 'version', name=op.f('uq_report_submission_schedule_id_unit_id_version'))
    )
    with op.batch_alter_table('report_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_submission_schedule_id'), ['schedule_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_submission_unit_id'), ['unit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('report_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_submission_unit_id'))
        batch_op.drop_index(batch_op.f('ix_report_submission_schedule_id'))

    op.drop_table('report_submission')
    op.drop_table('child_friendly_score')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    with op.batch_alter_table('report_schedule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_schedule_due_date'))

    op.drop_table('report_schedule')
    op.drop_table('indicator_value')
    op.drop_table('indicator_target')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_unit_date')
        batch_op.drop_index('ix_incident_date_category')

    op.drop_table('incident')
    op.drop_table('fund_target')
    with op.batch_alter_table('fund_contribution', schema=None) as batch_op:
        batch_op.drop_index('ix_fund_contribution_unit_date')

    op.drop_table('fund_contribution')
    with op.batch_alter_table('child_friendly_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_friendly_assessment_unit_id'))
        batch_op.drop_index('ix_cfa_round_unit')

    op.drop_table('child_friendly_assessment')
    op.drop_table('boundary')
    op.drop_table('app_user')
    op.drop_table('meta')
    op.drop_table('indicator')
    with op.batch_alter_table('admin_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_unit_parent_id'))
        batch_op.drop_index(batch_op.f('ix_admin_unit_level'))

    op.drop_table('admin_unit')
