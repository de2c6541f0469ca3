-- Track merges (my/track_merges.csv), per listener and followed to the end of a chain:
-- A → B and B → C make both A and B count as C. A row without a listener applies to every
-- listener; a listener's own row for the same variant wins over it. Variants match trimmed and
-- in any case (stg_seeds__track_merges).
with recursive

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

one_per_variant as (

    select * exclude (is_listener_specific)
    from per_listener
    qualify row_number() over (
        partition by listener, artist_key, track_key
        order by is_listener_specific desc, canonical_artist_name asc, canonical_track_name asc
    ) = 1

),

-- follows each variant's chain; a cycle (A → B → A) stops after 20 hops and a test reports it
followed (
    listener, artist_key, track_key, canonical_artist_name, canonical_track_name, hops
) as (

    select
        listener,
        artist_key,
        track_key,
        canonical_artist_name,
        canonical_track_name,
        1 as hops

    from one_per_variant

    union all

    select
        followed.listener,
        followed.artist_key,
        followed.track_key,
        next_step.canonical_artist_name,
        next_step.canonical_track_name,
        followed.hops + 1 as hops

    from followed
    inner join one_per_variant as next_step
        on
            followed.listener = next_step.listener
            and lower(followed.canonical_artist_name) = next_step.artist_key
            and lower(followed.canonical_track_name) = next_step.track_key
    where followed.hops < 20

),

resolved as (

    select
        listener,
        artist_key,
        track_key,
        arg_max(canonical_artist_name, hops) as canonical_artist_name,
        arg_max(canonical_track_name, hops) as canonical_track_name,
        max(hops)::integer as chain_length

    from followed
    group by all

)

select * from resolved
