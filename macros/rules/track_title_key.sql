{#- A track title reduced to what variants of one song share: lower case, no accents, and
    without version suffixes (` - Remastered 2011`, ` - Live`, ` - Instrumental`,
    ` - Radio Edit`, …) or featured artists (`(feat. …)`, `[with …]`). Used only to *suggest*
    merges, never to apply them. -#}
{% macro track_title_key(column) -%}
    trim(regexp_replace(regexp_replace(
        lower(strip_accents({{ column }})),
        '\s*[\(\[](feat\.?|ft\.?|featuring|with) [^\)\]]*[\)\]]', '', 'g'),
        '\s+[-–]\s+(\d{4} )?(remaster(ed)?|live|instrumental|radio edit|single version|album version|mono|stereo|acoustic|demo|edit|version|remix|bonus track)\b.*$', ''
    ))
{%- endmacro %}
