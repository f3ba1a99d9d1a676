(function () {
  'use strict';
  // Everything comes from the embedded JSON and goes into the DOM as text or attributes, never as HTML.
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var items = D.items, sets = D.sets, dims = D.dims, body = document.body;
  var GROUP_PAGE = 40, GROUP_MAX = 40;
  var fmt = new Intl.NumberFormat('en');
  var broken = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function empty(pane, text) { pane.appendChild(el('p', 'empty', text)); }
  function counted(e) { e.dataset.loaded = '0'; return e; }

  // Loaded images are counted on their nearest container with data-loaded, once each settles.
  function settled(e) {
    var img = e.target;
    if (!img || img.tagName !== 'IMG' || img.dataset.settled) return;
    img.dataset.settled = '1';
    var box = img.parentNode && img.parentNode.closest('[data-loaded]');
    if (img.complete && img.naturalWidth > 0) {
      if (box) box.dataset.loaded = +box.dataset.loaded + 1;
      if (img.id === 'heatmap') body.dataset.heatmapWidth = img.naturalWidth;
    } else {
      if (img.parentNode) img.parentNode.classList.add('broken');
      body.dataset.broken = ++broken;
    }
  }
  document.addEventListener('load', settled, true);
  document.addEventListener('error', settled, true);
  // the heat map is in the page itself, so it may have loaded before this script ran
  var heatmap = document.getElementById('heatmap');
  if (heatmap && heatmap.complete) settled({target: heatmap});

  function thumb(i, label, kept) {
    var f = el('figure', 'th' + (kept ? ' kept' : '')), w = dims[2 * i], h = dims[2 * i + 1];
    f.title = (sets[i] === 'test' ? 'test: ' : '') + items[i] + (label ? '  (' + label + ')' : '') + (kept ? '  kept' : '');
    if (w > 0) {
      var img = document.createElement('img');
      img.loading = 'lazy';
      img.decoding = 'async';
      img.width = w;
      img.height = h;
      img.alt = items[i];
      img.src = 'thumbs/' + i + '.jpg';
      f.appendChild(img);
    } else {
      f.appendChild(el('div', 'noimg', 'no preview'));
    }
    if (kept) f.appendChild(el('span', 'badge', 'kept'));
    if (label) f.appendChild(el('span', 'cls', label));
    var cap = el('figcaption');
    cap.appendChild(document.createTextNode(items[i]));
    f.appendChild(cap);
    return f;
  }

  // Groups a page at a time: [kept or -1, members, classes]; each member shows its class when the group mixes them.
  function groups(pane, list, what, hasKept) {
    if (!list.length) return empty(pane, 'No ' + what + ' groups.');
    var box = el('div'), more = el('button', 'more'), shown = 0;
    function next() {
      var end = Math.min(list.length, shown + GROUP_PAGE), frag = document.createDocumentFragment();
      for (var j = shown; j < end; j++) {
        var g = list[j], kept = hasKept ? g[0] : -1, members = hasKept ? g[1] : g[0], classes = hasKept ? g[2] : g[1];
        var row = el('div', 'group'), grid = counted(el('div', 'grid'));
        row.appendChild(el('h3', null, 'Group ' + fmt.format(j + 1) + ' \u00b7 ' + fmt.format(members.length) + ' images \u00b7 '
            + (classes.length === 1 ? 'class ' + (classes[0] || '(none)') : 'classes ' + classes.join(', '))));
        for (var m = 0; m < Math.min(members.length, GROUP_MAX); m++) {
          grid.appendChild(thumb(members[m], classes.length > 1 ? classOf(members[m], g) : null, members[m] === kept));
        }
        grid.dataset.imgs = grid.querySelectorAll('img').length;
        row.appendChild(grid);
        if (members.length > GROUP_MAX) row.appendChild(el('p', 'hint', '+' + fmt.format(members.length - GROUP_MAX) + ' more not shown'));
        frag.appendChild(row);
      }
      box.appendChild(frag);
      shown = end;
      more.hidden = shown >= list.length;
      more.textContent = 'Show more groups (' + fmt.format(list.length - shown) + ' left)';
    }
    more.type = 'button';
    more.addEventListener('click', next);
    pane.appendChild(box);
    pane.appendChild(more);
    next();
  }
  function classOf(i) { return D.labels[i] || '(none)'; }

  // Pairs side by side: [left, right, value, ...] with a caption.
  function pairs(pane, list, caption, nothing) {
    if (!list.length) return empty(pane, nothing);
    var box = counted(el('div', 'pairs'));
    list.forEach(function (p) {
      var b = el('div', 'pair-box'), two = el('div', 'two');
      two.appendChild(thumb(p[0], sets[p[0]] === 'test' ? 'test' : null, false));
      two.appendChild(thumb(p[1], sets[p[1]] === 'test' ? 'test' : (sets[p[0]] === 'test' ? 'train' : null), false));
      b.appendChild(two);
      b.appendChild(el('div', 'label', caption(p)));
      box.appendChild(b);
    });
    box.dataset.imgs = box.querySelectorAll('img').length;
    pane.appendChild(box);
  }

  // Isolated images: [item, similarity to its nearest, nearest], as a grid with the figure on each.
  function isolated(pane, list, nothing) {
    if (!list.length) return empty(pane, nothing);
    var grid = counted(el('div', 'grid'));
    list.forEach(function (x) {
      var f = thumb(x[0], x[1].toFixed(3), false);
      f.title += '  nearest: ' + items[x[2]] + ' (' + x[1] + ')';
      grid.appendChild(f);
    });
    grid.dataset.imgs = grid.querySelectorAll('img').length;
    pane.appendChild(grid);
  }

  function errors(pane) {
    if (!D.errors.length) return empty(pane, 'No errors: every image was read.');
    var table = el('table'), head = el('tr'), tbody = el('tbody');
    head.appendChild(el('th', null, 'Image'));
    head.appendChild(el('th', null, 'Error'));
    table.appendChild(el('thead')).appendChild(head);
    table.appendChild(tbody);
    D.errors.forEach(function (e) {
      var tr = el('tr');
      tr.appendChild(el('td', null, e[0]));
      tr.appendChild(el('td', null, e[1]));
      tbody.appendChild(tr);
    });
    pane.appendChild(table);
  }

  function pane(id) { return document.getElementById(id); }
  groups(pane('redundant-pane'), D.redundant, 'redundant', true);
  groups(pane('influential-pane'), D.influential, 'influential', false);
  // the cards of what this run did not compute are not on the page
  if (pane('least-pane')) pairs(pane('least-pane'), D.least, function (p) { return 'SSIM ' + p[2].toFixed(3); }, 'No pairs.');
  if (pane('isolated-pane')) isolated(pane('isolated-pane'), D.isolated, 'No images to compare.');
  if (pane('overlap-pane')) {
    pairs(pane('overlap-pane'), D.overlap, function (p) {
      return 'test ' + items[p[0]] + ' \u2190 ' + items[p[1]] + ' (aligned SSIM ' + p[2].toFixed(3) + ', cosine ' + p[3].toFixed(3) + ')';
    }, 'No test image has a near-identical training image.');
    isolated(pane('isolated-test-pane'), D.isolatedTest, 'No test images.');
  }
  errors(pane('errors-pane'));
  body.dataset.ready = '1';
})();
