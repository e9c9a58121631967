/**
 * The site's own static files, written under `assets/`. Kept as strings so that the built CLI (one
 * bundle) carries them; minisearch's browser build is copied from the installed package instead.
 */

export const SITE_CSS = `:root {
  color-scheme: light dark;
  --bg: #fdfcf9; --fg: #1e1f22; --muted: #5d6068; --line: #e3e0d8; --accent: #1f5fbf; --card: #ffffff; --tag: #eef2fb;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  line-height: 1.55;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #15171b; --fg: #e6e4df; --muted: #a2a5ad; --line: #2d3038; --accent: #8ab4ff; --card: #1c1f24; --tag: #232a38; }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); overflow-wrap: anywhere; }
a { color: var(--accent); }
header.site, main, footer.site { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
header.site { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding-top: 1rem; padding-bottom: .75rem; border-bottom: 1px solid var(--line); }
header.site .brand { font-weight: 700; color: var(--fg); text-decoration: none; margin-right: auto; }
header.site nav { display: flex; flex-wrap: wrap; gap: .25rem .85rem; }
header.site form { flex: 1 1 12rem; max-width: 100%; }
input[type="search"] { width: 100%; font: inherit; padding: .35rem .6rem; border: 1px solid var(--line); border-radius: .4rem; background: var(--card); color: var(--fg); }
main { padding-top: 1rem; padding-bottom: 2rem; }
footer.site { color: var(--muted); font-size: .85rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid var(--line); }
h1 { font-size: 1.75rem; line-height: 1.25; margin: .5rem 0; }
h2 { font-size: 1.3rem; margin-top: 1.75rem; }
.meta, .muted { color: var(--muted); font-size: .9rem; }
.stats { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; padding: 0; list-style: none; }
.stats strong { font-size: 1.2rem; }
ol.posts, ul.posts { list-style: none; padding: 0; }
ol.posts li, ul.posts li { padding: .6rem 0; border-bottom: 1px solid var(--line); }
.tags { display: inline-flex; flex-wrap: wrap; gap: .3rem; padding: 0; margin: .25rem 0; list-style: none; }
.tags a, .tag { background: var(--tag); border-radius: 1rem; padding: .05rem .55rem; font-size: .85rem; text-decoration: none; }
.cloud { display: flex; flex-wrap: wrap; gap: .4rem; list-style: none; padding: 0; }
article img, .gallery img { max-width: 100%; height: auto; border-radius: .3rem; }
video, audio.player { display: block; max-width: 100%; margin: .5rem 0; }
blockquote { margin: .5rem 0 1rem; padding: .25rem .9rem; border-left: 3px solid var(--line); color: var(--fg); }
pre, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
pre { overflow-x: auto; padding: .75rem; background: var(--card); border: 1px solid var(--line); border-radius: .3rem; }
table { display: block; overflow-x: auto; border-collapse: collapse; }
nav.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 2rem; flex-wrap: wrap; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .6rem; list-style: none; padding: 0; }
.gallery figure { margin: 0; }
.gallery figcaption { font-size: .8rem; color: var(--muted); }
#results li { padding: .5rem 0; border-bottom: 1px solid var(--line); }
`;

/**
 * The search page's script: loads the index shards (each `search/shard-*.js` pushed one serialized
 * MiniSearch index onto `window.egregoraSearch`), searches them all, and lists the best results.
 * Builds the results with DOM calls only (`textContent`), never with HTML strings.
 */
export const SEARCH_JS = `(function () {
  'use strict';
  var shards = (window.egregoraSearch || []).map(function (shard) {
    return MiniSearch.loadJS(shard.index, shard.options);
  });
  var input = document.getElementById('q');
  var list = document.getElementById('results');
  var status = document.getElementById('status');
  var MAX_RESULTS = 50;
  function search(query) {
    var hits = [];
    shards.forEach(function (index) {
      hits = hits.concat(index.search(query, {prefix: true, fuzzy: 0.2, combineWith: 'AND', boost: {title: 3, tags: 2}}));
    });
    hits.sort(function (a, b) { return b.score - a.score || (a.date < b.date ? 1 : -1); });
    return hits.slice(0, MAX_RESULTS);
  }
  function show(query) {
    while (list.firstChild) list.removeChild(list.firstChild);
    if (query.trim() === '') { status.textContent = ''; return; }
    var hits = search(query);
    status.textContent = hits.length === 0 ? 'No post matches.' : hits.length + (hits.length === 1 ? ' post' : ' posts') + (hits.length === MAX_RESULTS ? ' (the best ' + MAX_RESULTS + ')' : '');
    hits.forEach(function (hit) {
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.setAttribute('href', hit.url);
      link.textContent = hit.title;
      var meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = hit.date;
      var summary = document.createElement('div');
      summary.textContent = hit.summary;
      item.appendChild(link);
      item.appendChild(meta);
      item.appendChild(summary);
      list.appendChild(item);
    });
  }
  var params = new URLSearchParams(window.location.search);
  var initial = params.get('q') || '';
  input.value = initial;
  show(initial);
  var timer = null;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value); }, 120);
  });
  document.documentElement.setAttribute('data-search-ready', String(shards.length));
})();
`;

/** A page without an icon makes browsers ask the server for /favicon.ico: this one is local. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f5fbf"/><path d="M4 5h8M4 8h8M4 11h5" stroke="#fff" stroke-width="1.6" stroke-linecap="round"/></svg>\n';
