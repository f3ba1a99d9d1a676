(function () {
  'use strict';
  // Everything comes from the embedded JSON and is put in the DOM as text or attributes, never as HTML.
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var items = D.items, dims = D.dims, n = D.n, body = document.body;
  var GRID_PAGE = 200, LINK_PAGE = 50, GROUP_PAGE = 24, GROUP_MAX = 40, ERROR_PAGE = 200;
  var fmt = new Intl.NumberFormat('en');
  var broken = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function rank(i) { return i < n ? i + 1 : 0; }
  function empty(pane, text) { pane.appendChild(el('p', 'empty', text)); }

  // Counts of loaded images per container, written as data attributes once each image settles.
  function settled(e) {
    var img = e.target;
    if (!img || img.tagName !== 'IMG') return;
    var box = img.closest('[data-loaded]');
    if (img.complete && img.naturalWidth > 0) {
      if (box) {
        box.dataset.loaded = +box.dataset.loaded + 1;
        if (box.id === 'summary-grid') box.dataset.summaryLoaded = box.dataset.loaded;
      }
    } else {
      img.parentNode.classList.add('broken');
      body.dataset.broken = ++broken;
    }
  }
  document.addEventListener('load', settled, true);
  document.addEventListener('error', settled, true);

  function thumb(i, badge) {
    var f = el('figure', 'th'), r = rank(i), w = dims[2 * i], h = dims[2 * i + 1];
    f.title = (r ? '#' + fmt.format(r) + '  ' : '') + items[i];
    if (w > 0) {
      var img = document.createElement('img');
      img.loading = 'lazy'; // set before src, or the browser fetches at once
      img.decoding = 'async';
      img.width = w;
      img.height = h;
      img.alt = items[i];
      img.src = 'thumbs/' + i + '.jpg';
      f.appendChild(img);
    } else {
      f.appendChild(el('div', 'noimg', 'no preview'));
    }
    if (badge && r) f.appendChild(el('span', 'badge', fmt.format(r)));
    var cap = el('figcaption');
    if (r) cap.appendChild(el('b', null, '#' + fmt.format(r)));
    cap.appendChild(document.createTextNode(items[i]));
    f.appendChild(cap);
    return f;
  }

  function counted(e) { e.dataset.loaded = '0'; return e; }

  // A grid that shows a page of thumbnails at a time, so 10,000 items never become 10,000 images at once.
  function pagedGrid(pane, indices, badge, id) {
    if (!indices.length) return empty(pane, 'Nothing to show.');
    var grid = counted(el('div', 'grid')), more = el('button', 'more'), shown = 0;
    if (id) { grid.id = id; grid.dataset.summaryLoaded = '0'; }
    function next() {
      var end = Math.min(indices.length, shown + GRID_PAGE), frag = document.createDocumentFragment();
      for (var j = shown; j < end; j++) frag.appendChild(thumb(indices[j], badge));
      grid.appendChild(frag);
      shown = end;
      grid.dataset.shown = shown;
      more.hidden = shown >= indices.length;
      more.textContent = 'Show more (' + fmt.format(indices.length - shown) + ' left)';
    }
    more.type = 'button';
    more.addEventListener('click', next);
    pane.appendChild(grid);
    pane.appendChild(more);
    next();
  }

  function linkRow(row) {
    var c = row[0], r = rank(c), e = counted(el('div', 'link-row'));
    var con = el('div', 'con'), name = el('div', 'name', items[c]);
    name.appendChild(el('small', null, r ? 'rank ' + fmt.format(r) : ''));
    con.appendChild(thumb(c, false));
    con.appendChild(name);
    e.appendChild(con);
    e.appendChild(el('div', 'arrow', '\u2192'));
    var dels = el('div', 'dels'), total = 0;
    for (var j = 2; j < row.length; j += 2) total += Math.max(0, row[j]);
    for (j = 1; j < row.length; j += 2) {
      var d = el('div', 'del'), bar = el('div', 'bar'), fill = el('span'), w = row[j + 1];
      fill.style.width = (total > 0 ? Math.max(0, w) / total * 100 : 0).toFixed(1) + '%';
      bar.appendChild(fill);
      d.appendChild(thumb(row[j], true));
      d.appendChild(bar);
      d.appendChild(el('div', 'pct', (w * 100).toFixed(1) + '%'));
      d.title = items[row[j]] + '  weight ' + w;
      dels.appendChild(d);
    }
    e.appendChild(dels);
    e.dataset.imgs = e.querySelectorAll('img').length;
    return e;
  }

  function linksExplorer(pane) {
    if (!D.links.length) return empty(pane, 'No constituents: every item is in the summary.');
    var bar = el('div', 'toolbar'), filter = el('input'), prev = el('button', null, '\u2190 Prev'),
        next = el('button', null, 'Next \u2192'), count = el('span', 'count'), list = el('div', 'rows');
    filter.type = 'search';
    filter.placeholder = 'Filter by name (constituent or delegate)';
    filter.setAttribute('aria-label', 'Filter links by name');
    prev.type = next.type = 'button';
    [filter, prev, next, count].forEach(function (x) { bar.appendChild(x); });
    pane.appendChild(bar);
    pane.appendChild(list);
    var rows = D.links, page = 0, timer = 0;
    function show() {
      var pages = Math.max(1, Math.ceil(rows.length / LINK_PAGE));
      page = Math.min(page, pages - 1);
      var from = page * LINK_PAGE, to = Math.min(rows.length, from + LINK_PAGE);
      var frag = document.createDocumentFragment();
      for (var j = from; j < to; j++) frag.appendChild(linkRow(rows[j]));
      list.replaceChildren(frag);
      if (!rows.length) empty(list, 'No link matches the filter.');
      count.textContent = rows.length ? fmt.format(from + 1) + '\u2013' + fmt.format(to) + ' of ' + fmt.format(rows.length) : '0 of ' + fmt.format(D.links.length);
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    function apply() {
      var q = filter.value.trim().toLowerCase();
      rows = !q ? D.links : D.links.filter(function (row) {
        for (var j = 0; j < row.length; j += j ? 2 : 1) if (items[row[j]].toLowerCase().indexOf(q) >= 0) return true;
        return false;
      });
      page = 0;
      show();
    }
    filter.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
    prev.addEventListener('click', function () { page--; show(); });
    next.addEventListener('click', function () { page++; show(); });
    show();
  }

  // A name short enough for two lines under a small picture: its file name, a long one cut in the middle.
  function shortName(name) {
    var base = name.slice(name.lastIndexOf('/') + 1);
    return base.length <= 24 ? base : base.slice(0, 11) + '\u2026' + base.slice(-12);
  }

  // Duplicate groups as small boxes, several to a row; the kept copy (listed first) is marked.
  function groups(pane) {
    if (!D.dups.length) return empty(pane, 'No duplicate groups.');
    var box = el('div', 'dup-groups'), more = el('button', 'more'), shown = 0;
    function member(i, kept) {
      var m = el('figure', 'dup-member' + (kept ? ' kept' : '')), f = thumb(i, false), r = rank(i);
      if (kept) f.appendChild(el('span', 'badge kept', 'kept'));
      m.appendChild(f);
      var name = el('figcaption', 'dup-name', shortName(items[i]));
      name.title = items[i] + (r ? '  #' + fmt.format(r) : '') + (kept ? '  kept' : '  copy');
      m.appendChild(name);
      return m;
    }
    function next() {
      var end = Math.min(D.dups.length, shown + GROUP_PAGE), frag = document.createDocumentFragment();
      for (var j = shown; j < end; j++) {
        var g = D.dups[j], group = counted(el('div', 'dup-group')), members = el('div', 'dup-members');
        group.appendChild(el('h3', null, 'Group ' + fmt.format(j + 1) + ' \u00b7 ' + fmt.format(g.length) + ' items'));
        for (var m = 0; m < Math.min(g.length, GROUP_MAX); m++) members.appendChild(member(g[m], m === 0));
        group.appendChild(members);
        if (g.length > GROUP_MAX) group.appendChild(el('p', 'hint', '+' + fmt.format(g.length - GROUP_MAX) + ' more not shown'));
        group.dataset.imgs = group.querySelectorAll('img').length;
        frag.appendChild(group);
      }
      box.appendChild(frag);
      shown = end;
      more.hidden = shown >= D.dups.length;
      more.textContent = 'Show more groups (' + fmt.format(D.dups.length - shown) + ' left)';
    }
    more.type = 'button';
    more.addEventListener('click', next);
    pane.appendChild(box);
    pane.appendChild(more);
    next();
  }

  function errors(pane) {
    if (!D.errors.length) return empty(pane, 'No errors: every item was read.');
    var table = el('table'), head = el('tr'), tbody = el('tbody'), more = el('button', 'more'), shown = 0;
    head.appendChild(el('th', null, 'Item'));
    head.appendChild(el('th', null, 'Error'));
    table.appendChild(el('thead')).appendChild(head);
    table.appendChild(tbody);
    function next() {
      var end = Math.min(D.errors.length, shown + ERROR_PAGE), frag = document.createDocumentFragment();
      for (var j = shown; j < end; j++) {
        var tr = el('tr');
        tr.appendChild(el('td', null, D.errors[j][0]));
        tr.appendChild(el('td', null, D.errors[j][1]));
        frag.appendChild(tr);
      }
      tbody.appendChild(frag);
      shown = end;
      more.hidden = shown >= D.errors.length;
      more.textContent = 'Show more (' + fmt.format(D.errors.length - shown) + ' left)';
    }
    more.type = 'button';
    more.addEventListener('click', next);
    pane.appendChild(table);
    pane.appendChild(more);
    next();
  }

  function pane(id) { return document.getElementById(id); }
  var summary = [];
  for (var i = 0; i < D.k; i++) summary.push(i);
  pagedGrid(pane('summary-pane'), summary, true, 'summary-grid');
  pagedGrid(pane('sample-pane'), D.sample, true, null);
  body.dataset.firstRenderMs = Math.round(performance.now());
  linksExplorer(pane('links-pane'));
  groups(pane('dups-pane'));
  errors(pane('errors-pane'));
  body.dataset.ready = '1';
})();
