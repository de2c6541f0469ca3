-- Skip rate of music-track streams, overall and by one dimension at a time (long format).
-- Only streams whose end reason Spotify recorded (extended history) can show a skip, so
-- account-data streams are left out instead of counting as "not skipped".
{% set dimensions = {
    'overall': "'all'",
    'platform_family': 'platform_family',
    'shuffle': "case when is_shuffle then 'on' when not is_shuffle then 'off' end",
    'reason_start': 'reason_start',
    'local_hour': "lpad(local_hour::string, 2, '0')",
    'artist': 'artist_name',
} %}

with

streams as (

    select * from {{ ref('int_streams_in_scope') }}

),

observable as (

    select * from streams
    where
        content_type = 'track'
        and (reason_end is not null or is_skip)

),

by_dimension as (

    {% for dimension, expression in dimensions.items() %}
        select
            listener,
            '{{ dimension }}' as dimension,
            coalesce({{ expression }}, '(none)') as dimension_value,
            count(*)::bigint as stream_count,
            count_if(is_skip)::bigint as skip_count

        from observable
        group by all
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        listener,
        dimension,
        dimension_value,
        stream_count,
        skip_count,
        round(skip_count / stream_count, 4)::double as skip_rate

    from by_dimension

)

select * from final
order by listener, dimension, dimension_value
