{#- The raw sources on engines that do not hold them already. DuckDB: ingest.py wrote raw.*
    into the database itself, nothing to do. Spark: each source table becomes an external
    table over its Parquet copy (spotify_history/raw_parquet.py: `<raw>/<table>/listener=…/`),
    re-created at every run so new listeners' partitions are seen. `<raw>` is
    SPOTIFY_SPARK_RAW (any URI Spark reads: a path, s3://…, abfss://…), else `raw` beside the
    warehouse folder (SPOTIFY_SPARK_DIR/raw, as the Parquet step writes it). Run by
    dbt_project.yml's on-run-start; the tables are those of the sources YAML. -#}
{% macro create_raw_sources() -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('create_raw_sources')()) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__create_raw_sources() }}
{%- endmacro %}

{% macro default__create_raw_sources() -%}
{%- endmacro %}

{% macro spark__create_raw_sources() -%}
    {%- if execute -%}
        {%- set raw_location = env_var('SPOTIFY_SPARK_RAW', '') -%}
        {%- if not raw_location -%}
            {#- Spark qualifies the warehouse folder (file:/abs/path): a relative location
                would be read relative to the database's folder instead -#}
            {%- set warehouse = run_query('set spark.sql.warehouse.dir').columns[1].values()[0] -%}
            {%- set raw_location = warehouse.rstrip('/').rsplit('/', 1)[0] ~ '/raw' -%}
        {%- endif -%}
        {%- for source in graph.sources.values() if source.package_name == project_name -%}
            {%- set relation = source.schema ~ '.' ~ source.identifier -%}
            {%- do run_query('create database if not exists ' ~ source.schema) -%}
            {%- do run_query('drop table if exists ' ~ relation) -%}
            {%- do run_query(
                'create table ' ~ relation ~ ' using parquet location '
                ~ "'" ~ raw_location.rstrip('/') ~ '/' ~ source.identifier ~ "'"
            ) -%}
            {%- do run_query('alter table ' ~ relation ~ ' recover partitions') -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
