-- The settings this build used (my/settings.csv, defaults where a setting is not given).
with

settings as (

    select * from {{ ref('stg_seeds__settings') }}

)

select * from settings
