-- Minutes and plays per listener, local month, platform family and country, with offline and
-- incognito shares. Sum over platform_family or conn_country for one of the two alone.
with

in_scope as (

    select * from {{ ref('int_streams_in_scope') }}

),

per_cell as (

    select
        listener,
        platform_family,
        -- account data records no country: `ZZ`, Spotify's own "unknown"
        coalesce(conn_country, 'ZZ') as conn_country,
        count(*)::bigint as stream_count,
        count_if(is_counted_play)::bigint as play_count,
        count_if(coalesce(is_offline, false))::bigint as offline_stream_count,
        count_if(coalesce(is_incognito, false))::bigint as incognito_stream_count,
        coalesce(sum(ms_played), 0)::bigint as ms_played,
        date_trunc('month', local_date)::date as month_start

    from in_scope
    group by all

),

final as (

    select
        listener,
        platform_family,
        conn_country,
        stream_count,
        play_count,
        offline_stream_count,
        incognito_stream_count,
        ms_played,
        {{ minutes_from_ms('ms_played') }} as minutes_played,
        round(offline_stream_count / stream_count, 4)::double as offline_share,
        round(incognito_stream_count / stream_count, 4)::double as incognito_share,
        month_start

    from per_cell

)

select * from final
order by listener, month_start, platform_family, conn_country
