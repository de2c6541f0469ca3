{#- The one place that maps Spotify's free-text `platform` (free text before Oct 2023, short
    tokens after) to a family: android, ios, windows, macos, linux, web, partner (cast
    devices, speakers, TVs, cars), other, unknown. Order matters: `web_player windows 10;…`
    is web, not windows. (Backslashes doubled: Jinja strings unescape them.) -#}
{% macro platform_family(platform) -%}
    case
        when nullif(lower(trim({{ platform }})), '') is null then 'unknown'
        when lower(trim({{ platform }})) in ('not_applicable', 'unknown', 'n/a') then 'unknown'
        when {{ regexp_contains('lower(' ~ platform ~ ')', '^\\s*web[ _]?player') }} then 'web'
        when {{ regexp_contains('lower(' ~ platform ~ ')', '^\\s*partner\\b|\\bcast\\b|cast_') }} then 'partner'
        when {{ regexp_contains('lower(' ~ platform ~ ')', '^\\s*android') }} then 'android'
        when {{ regexp_contains('lower(' ~ platform ~ ')', '^\\s*(ios|iphone|ipad)') }} then 'ios'
        when {{ regexp_contains('lower(' ~ platform ~ ')', '^\\s*windows') }} then 'windows'
        when {{ regexp_contains('lower(' ~ platform ~ ')', '^\\s*(os ?x|mac ?os)') }} then 'macos'
        when {{ regexp_contains('lower(' ~ platform ~ ')', '^\\s*linux') }} then 'linux'
        else 'other'
    end
{%- endmacro %}
