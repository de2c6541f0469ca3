-- my/track_merges.csv: every row names a variant and what to count it as, and the chains
-- end (A → B → A would loop: a chain of 20 hops is taken for a cycle).
with

track_merges as (

    select * from {{ ref('stg_seeds__track_merges') }}

),

resolved as (

    select * from {{ ref('int_track_merges_resolved') }}

),

incomplete as (

    select
        listener,
        artist_key,
        track_key,
        'artist_name, track_name, canonical_artist_name and canonical_track_name are required'
            as problem

    from track_merges
    where
        artist_key is null
        or track_key is null
        or canonical_artist_name is null
        or canonical_track_name is null

),

cycles as (

    select
        listener,
        artist_key,
        track_key,
        'the chain of merges loops (A → B → A)' as problem

    from resolved
    where chain_length >= 20

)

select * from incomplete
union all
select * from cycles
