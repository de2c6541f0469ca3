{#- Model contracts on Spark. The YAML keeps DuckDB's type names (the project's own engine);
    on Spark they are translated before dbt compares them with the query's columns. And
    since Spark enforces no constraint on a Parquet table, each model's contract constraints
    are checked right after the table is built, in one query: a violation fails the model
    (its children are skipped) with the model, column and rule in the message, as DuckDB's
    insert does. -#}

{#- dbt casts null to each YAML data_type to learn the contract's types (get_empty_schema_sql):
    on Spark, DuckDB names become Spark's. Overrides dbt's own spark__cast. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type(type) }})
{%- endmacro %}

{#- A DuckDB type name as Spark's: VARCHAR → string, X[] → array<X>, UBIGINT → decimal(20,0)… -#}
{% macro spark_type(type) -%}
    {%- set name = type | trim | lower -%}
    {%- set names = {
        'varchar': 'string', 'text': 'string', 'json': 'string', 'uuid': 'string',
        'integer': 'int', 'int4': 'int', 'int8': 'bigint', 'long': 'bigint',
        'ubigint': 'decimal(20,0)', 'hugeint': 'decimal(38,0)', 'uinteger': 'bigint',
        'float8': 'double', 'real': 'float', 'float4': 'float', 'bool': 'boolean',
        'timestamp without time zone': 'timestamp',
    } -%}
    {%- if name.endswith('[]') -%}
        array<{{ spark_type(name[:-2]) }}>
    {%- else -%}
        {{ names.get(name, name) }}
    {%- endif -%}
{%- endmacro %}

{#- dbt-spark would `alter table … add constraint` (Delta only). Here: check every contract
    constraint of the model on the table just built. -#}
{% macro spark__persist_constraints(relation, model) -%}
    {%- if config.get('contract').enforced -%}
        {%- do check_contract_constraints(relation, model) -%}
    {%- endif -%}
{%- endmacro %}

{#- One query counts the violations of every constraint; any count above zero drops the table
    and fails the model. Semantics as in SQL (and DuckDB): a check fails only where its
    expression is false (null passes); unique ignores rows with a null key column; primary
    key is not null plus unique. -#}
{% macro check_contract_constraints(relation, model) -%}
    {%- set checks = [] -%}
    {%- for column_name, column in model.columns.items() -%}
        {%- for constraint in column.constraints -%}
            {%- do checks.extend(constraint_checks(constraint, [column_name], relation)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for constraint in model.constraints -%}
        {%- do checks.extend(constraint_checks(constraint, constraint.columns, relation)) -%}
    {%- endfor -%}
    {%- if checks -%}
        {%- set counts = run_query(
            'select ' ~ checks | map(attribute='sql') | join(', ') ~ ' from ' ~ relation
        ).rows[0] -%}
        {%- set failed = [] -%}
        {%- for check in checks -%}
            {%- if counts[loop.index0] > 0 -%}
                {%- do failed.append(check.rule ~ ' (' ~ counts[loop.index0] ~ ' rows)') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if failed -%}
            {%- do adapter.drop_relation(relation) -%}
            {%- do exceptions.raise_compiler_error(
                'Contract constraint failed on ' ~ model.name ~ ': ' ~ failed | join('; ')
            ) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- [{rule, sql}] for one constraint on `columns`: each `sql` counts the rows that break it. -#}
{% macro constraint_checks(constraint, columns, relation) -%}
    {%- set type = constraint.type -%}
    {%- set key = model.name ~ '(' ~ columns | join(', ') ~ ')' -%}
    {%- set present = columns | join(' is not null and ') ~ ' is not null' -%}
    {%- set checks = [] -%}
    {%- if type in ('not_null', 'primary_key') -%}
        {%- for column in columns -%}
            {%- do checks.append({
                'rule': 'NOT NULL ' ~ model.name ~ '.' ~ column,
                'sql': 'count_if(' ~ column ~ ' is null)',
            }) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if type in ('unique', 'primary_key') -%}
        {%- do checks.append({
            'rule': type | upper | replace('_', ' ') ~ ' ' ~ key ~ ', duplicate keys',
            'sql': 'count_if(' ~ present ~ ') - count(distinct case when ' ~ present
                ~ ' then (' ~ columns | join(', ') ~ ') end)',
        }) -%}
    {%- elif type == 'check' -%}
        {%- do checks.append({
            'rule': 'CHECK ' ~ (constraint.name ~ ' ' if constraint.name else '') ~ 'on '
                ~ model.name ~ ': ' ~ constraint.expression,
            'sql': 'count_if(not (' ~ constraint.expression ~ '))',
        }) -%}
    {%- elif type == 'foreign_key' -%}
        {%- if not constraint.to or not constraint.to_columns -%}
            {%- do exceptions.raise_compiler_error(
                model.name ~ ': a foreign key is checked on Spark only with `to` and `to_columns`'
            ) -%}
        {%- endif -%}
        {%- set join = [] -%}
        {%- for column in columns -%}
            {%- do join.append('child.' ~ column ~ ' = parent.' ~ constraint.to_columns[loop.index0]) -%}
        {%- endfor -%}
        {%- do checks.append({
            'rule': 'FOREIGN KEY ' ~ key ~ ' references ' ~ constraint.to ~ ', missing parents',
            'sql': '(select count(*) from ' ~ relation ~ ' as child left anti join '
                ~ constraint.to ~ ' as parent on ' ~ join | join(' and ') ~ ' where '
                ~ 'child.' ~ columns | join(' is not null and child.') ~ ' is not null)',
        }) -%}
    {%- elif type != 'not_null' -%}
        {%- do exceptions.raise_compiler_error(
            model.name ~ ': constraint type ' ~ type ~ ' has no check on Spark'
        ) -%}
    {%- endif -%}
    {{ return(checks) }}
{%- endmacro %}
