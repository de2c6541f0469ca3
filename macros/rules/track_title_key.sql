{#- A track title reduced to what variants of one song share: lower case, no accents, and
    without version suffixes (` - Remastered 2011`, ` - Live`, ` - Instrumental`,
    ` - Radio Edit`, …) or featured artists (`(feat. …)`, `[with …]`). Used only to *suggest*
    merges, never to apply them. (The suffix pattern runs to the end of the title, so it
    matches once.) -#}
{% macro track_title_key(column) -%}
    {%- set featured_artists -%}
        \s*[\(\[](feat\.?|ft\.?|featuring|with) [^\)\]]*[\)\]]
    {%- endset -%}
    {%- set version_suffix -%}
        \s+[-–]\s+(\d{4} )?(remaster(ed)?|live|instrumental|radio edit|single version|album version|mono|stereo|acoustic|demo|edit|version|remix|bonus track)\b.*$
    {%- endset -%}
    trim({{ regexp_replace_all(
        regexp_replace_all('lower(' ~ without_accents(column) ~ ')', featured_artists),
        version_suffix
    ) }})
{%- endmacro %}
