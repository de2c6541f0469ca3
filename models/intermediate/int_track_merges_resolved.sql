-- Track merges (my/track_merges.csv), per listener and followed to the end of a chain:
-- A → B and B → C make both A and B count as C. A row without a listener applies to every
-- listener; a listener's own row for the same variant wins over it. Variants match trimmed and
-- in any case (stg_seeds__track_merges).
with

seeded_merges as (

    select * from {{ ref('stg_seeds__track_merges') }}

),

exports as (

    select * from {{ ref('stg_spotify__exports') }}

),

listeners as (

    select distinct listener from exports

),

per_listener as (

    select
        listeners.listener,
        seeded_merges.artist_key,
        seeded_merges.track_key,
        seeded_merges.canonical_artist_name,
        seeded_merges.canonical_track_name,
        seeded_merges.listener is not null as is_listener_specific

    from seeded_merges
    inner join listeners
        on seeded_merges.listener is null or seeded_merges.listener = listeners.listener

),

ranked_variants as (

    select
        listener,
        artist_key,
        track_key,
        canonical_artist_name,
        canonical_track_name,
        row_number() over (
            partition by listener, artist_key, track_key
            order by
                is_listener_specific desc,
                canonical_artist_name asc nulls last,
                canonical_track_name asc nulls last
        ) as variant_rank

    from per_listener

),

one_per_variant as (

    select
        listener,
        artist_key,
        track_key,
        canonical_artist_name,
        canonical_track_name

    from ranked_variants
    where variant_rank = 1

),

-- follows each variant's chain, one join per hop (a variant has one next step at most; no
-- recursive CTE: Spark 4.0 has none); a cycle (A → B → A) stops after 20 hops and a test
-- reports it. The hops are written by a loop, which sqlfluff cannot indent-check.
{% set max_hops = 20 %}
-- noqa: disable=LT02
resolved as (

    select
        hop_1.listener,
        hop_1.artist_key,
        hop_1.track_key,
        case
            {% for hop in range(max_hops, 1, -1) %}
            when hop_{{ hop }}.listener is not null then hop_{{ hop }}.canonical_artist_name
            {% endfor %}
            else hop_1.canonical_artist_name
        end as canonical_artist_name,
        case
            {% for hop in range(max_hops, 1, -1) %}
            when hop_{{ hop }}.listener is not null then hop_{{ hop }}.canonical_track_name
            {% endfor %}
            else hop_1.canonical_track_name
        end as canonical_track_name,
        (
            1
            {% for hop in range(2, max_hops + 1) %}
            + (hop_{{ hop }}.listener is not null)::integer
            {% endfor %}
        )::integer as chain_length

    from one_per_variant as hop_1
    {% for hop in range(2, max_hops + 1) %}
    left join one_per_variant as hop_{{ hop }}
        on
            hop_{{ hop - 1 }}.listener = hop_{{ hop }}.listener
            and lower(hop_{{ hop - 1 }}.canonical_artist_name) = hop_{{ hop }}.artist_key
            and lower(hop_{{ hop - 1 }}.canonical_track_name) = hop_{{ hop }}.track_key
    {% endfor %}

)

-- noqa: enable=LT02
select * from resolved
