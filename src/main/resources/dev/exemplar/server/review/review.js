(function () {
  'use strict';
  // Text from the API goes into the DOM as text or attributes only, never as HTML.
  var TOKEN_KEY = 'exemplar.review.token'; // sessionStorage only: gone when the tab closes
  var LIMIT = 20;        // groups per page
  var SHOW_FIRST = 30;   // constituents drawn per group at first; more on request
  var SHOW_MORE = 240;
  var BULK_PARALLEL = 3;

  var body = document.body;
  var project = body.dataset.project;
  var api = '../../api/projects/' + project + '/';
  var fmt = new Intl.NumberFormat('en');
  var $ = function (id) { return document.getElementById(id); };
  var groupsEl = $('groups'), statusEl = $('status'), labelEl = $('label'), minEl = $('min'), maxEl = $('max');

  var token = sessionStorage.getItem(TOKEN_KEY);
  var query = readQuery();
  var page = null;          // the last answer of the API
  var tasks = new Map();    // task id -> {state, busy, error}: one record for a task shown in several groups
  var current = null;       // the focused constituent tile
  var loads = 0, seq = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function percent(c) { return Math.round(c * 100) + '%'; }
  function labelText(labels) { return labels && labels.length ? labels.join(', ') : '(no label)'; }

  // ---- query in the address bar, so a reload or a shared link keeps the filter and the page

  function readQuery() {
    var p = new URLSearchParams(location.search);
    var num = function (name, d) { var v = parseFloat(p.get(name)); return isFinite(v) ? v : d; };
    return { label: p.get('label') || '', min: num('min', 0), max: num('max', 1),
             offset: Math.max(0, parseInt(p.get('offset'), 10) || 0) };
  }
  function writeQuery() {
    var p = new URLSearchParams();
    if (query.label) p.set('label', query.label);
    if (query.min > 0) p.set('min', query.min);
    if (query.max < 1) p.set('max', query.max);
    if (query.offset) p.set('offset', query.offset);
    var s = p.toString();
    history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
  }

  // ---- loading a page of groups

  function load() {
    var p = new URLSearchParams({ min: query.min, max: query.max, offset: query.offset, limit: LIMIT });
    if (query.label) p.set('label', query.label);
    var mine = ++seq;
    statusEl.textContent = 'Loading…';
    statusEl.className = 'status';
    fetch(api + 'review?' + p, { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(answer)
      .then(function (data) {
        if (mine !== seq) return; // a later filter won
        page = data;
        writeQuery();
        render();
      })
      .catch(function (e) {
        if (mine !== seq) return;
        if (e.status === 404) {
          explain('unknown', 'This project is not known.', e.message + '.', null, true);
        } else {
          statusEl.textContent = 'Could not load the review: ' + e.message;
          statusEl.className = 'status error';
        }
        body.dataset.ready = '1';
      });
  }

  function answer(r) {
    return r.text().then(function (text) {
      var data = null;
      try { data = text ? JSON.parse(text) : null; } catch (ignored) { /* not JSON */ }
      if (!r.ok) {
        var e = new Error(data && data.error ? data.error : 'the server answered ' + r.status);
        e.status = r.status;
        throw e;
      }
      return data;
    });
  }

  function render() {
    var t0 = performance.now();
    tasks.clear();
    current = null;
    groupsEl.textContent = '';
    fillLabels(page.labels);
    counters(page.counters);
    var frag = document.createDocumentFragment();
    page.groups.forEach(function (g) { frag.appendChild(group(g)); });
    groupsEl.appendChild(frag);

    var from = page.offset + 1, to = page.offset + page.groups.length;
    $('range').textContent = page.total ? 'delegates ' + fmt.format(from) + '–' + fmt.format(to) + ' of ' + fmt.format(page.total) : '';
    $('prev').disabled = page.offset === 0;
    $('next').disabled = to >= page.total;
    if (!page.groups.length) {
      if (page.total) statusEl.textContent = 'No delegates on this page.';
      else if (filtered()) statusEl.textContent = 'No propagated label matches this filter.';
      else emptyBecause(page.sync);
    } else {
      statusEl.textContent = 'Least certain first. ' + (token ? '' : 'Accept is off until you sign in (top right).');
    }
    statusEl.className = 'status';
    var first = next(null, 1, true) || tiles()[0];
    if (first) focus(first, !inField());
    loads++;
    body.dataset.loads = loads;
    body.dataset.renderMs = Math.round(performance.now() - t0);
    body.dataset.ready = '1';
  }

  // ---- an empty review says why it is empty and what to do next

  function emptyBecause(sync) {
    if (!sync) {
      explain('empty', 'No propagated labels to review yet.', 'They appear once delegates are labelled.', null, false);
      return;
    }
    var why = {
      syncing: 'Project ' + project + ' is syncing: ' + sync.phase_words + (sync.total ? ', ' + fmt.format(sync.done) + ' of ' + fmt.format(sync.total) : '') + '.',
      sync_failed: 'The last sync of project ' + project + ' failed (' + sync.phase_words + ').',
      waiting_for_labels: 'Nothing labelled yet in project ' + project + '.',
      reviewable: 'No propagated labels to review in project ' + project + ' now.'
    }[sync.state] || 'No propagated labels to review yet.';
    var step = sync.next_step + (sync.state === 'reviewable' && sync.note ? ' ' + sync.note : '');
    explain(sync.state, why, step, sync.state === 'sync_failed' ? sync.last_error : null, false);
  }

  // Text only, never HTML: the error comes from Label Studio.
  function explain(state, why, step, error, linkBack) {
    statusEl.textContent = '';
    statusEl.className = 'status empty';
    statusEl.dataset.state = state;
    statusEl.appendChild(el('span', 'why', why));
    if (error) statusEl.appendChild(el('span', 'last-error', error));
    statusEl.appendChild(el('span', 'step', step + ' '));
    if (linkBack) {
      var a = el('a', 'back', 'See the projects this backend knows');
      a.href = '../../../';
      statusEl.appendChild(a);
    }
  }

  function filtered() { return query.label || query.min > 0 || query.max < 1; }

  function fillLabels(labels) {
    var want = query.label;
    labelEl.length = 1;
    var all = labels.slice();
    if (want && all.indexOf(want) < 0) all.unshift(want);
    all.forEach(function (l) { labelEl.add(new Option(l, l)); });
    labelEl.value = want;
  }

  function counters(c) {
    if (!c) return;
    $('count-delegates').textContent = fmt.format(c.delegates_labelled);
    $('count-propagated').textContent = fmt.format(c.constituents_propagated);
    $('count-accepted').textContent = fmt.format(c.accepted);
    $('count-rejected').textContent = fmt.format(c.rejected);
  }

  // ---- drawing

  function group(g) {
    var sec = el('section', 'group');
    sec.dataset.delegate = g.delegate;
    sec._group = g;

    var lead = el('div', 'delegate');
    lead.appendChild(picture(g.delegate, 'delegate ' + g.delegate));
    var cap = el('div', 'delegate-cap');
    var chips = el('div', 'chips');
    g.labels.forEach(function (l) { chips.appendChild(el('span', 'chip', l)); });
    cap.appendChild(chips);
    cap.appendChild(el('div', 'muted', 'delegate · task ' + g.delegate + ' · rank ' + fmt.format(g.rank)));
    lead.appendChild(cap);
    sec.appendChild(lead);

    var side = el('div', 'constituents');
    var head = el('div', 'group-head');
    head.appendChild(el('span', null, fmt.format(g.constituents.length) + (g.constituents.length === 1 ? ' constituent' : ' constituents')));
    var all = el('button', 'accept-all', 'Accept all pending');
    all.type = 'button';
    all.addEventListener('click', function () { acceptGroup(sec); });
    head.appendChild(all);
    head.appendChild(el('span', 'group-msg'));
    side.appendChild(head);

    var grid = el('div', 'grid');
    side.appendChild(grid);
    g.constituents.forEach(function (p) {
      if (!tasks.has(p.task)) tasks.set(p.task, { state: p.state, busy: false, error: '' });
    });
    sec._shown = 0;
    side.appendChild(el('div', 'more-row'));
    sec.appendChild(side);
    showMore(sec, SHOW_FIRST);
    allButton(all);
    return sec;
  }

  // Large groups are drawn in slices, so a delegate with thousands of constituents stays quick.
  function showMore(sec, count) {
    var g = sec._group, grid = sec.querySelector('.grid'), row = sec.querySelector('.more-row');
    var end = Math.min(g.constituents.length, sec._shown + count), frag = document.createDocumentFragment();
    for (var i = sec._shown; i < end; i++) frag.appendChild(tile(g.constituents[i]));
    grid.appendChild(frag);
    sec._shown = end;
    row.textContent = '';
    var left = g.constituents.length - end;
    if (left > 0) {
      var b = el('button', 'more', 'Show ' + fmt.format(Math.min(left, SHOW_MORE)) + ' more of ' + fmt.format(left));
      b.type = 'button';
      b.addEventListener('click', function () { showMore(sec, SHOW_MORE); });
      row.appendChild(b);
    }
  }

  // One tile drawn once and cloned: much quicker than building each from elements when a page holds thousands.
  var TILE = (function () {
    var t = el('div', 'tile');
    t.tabIndex = -1;
    t.appendChild(picture(null, ''));
    var info = el('div', 'info');
    info.appendChild(el('div', 'labels'));
    var conf = el('div', 'conf');
    var bar = el('span', 'bar');
    bar.appendChild(el('i'));
    conf.appendChild(bar);
    conf.appendChild(el('span', 'pct'));
    info.appendChild(conf);
    var meta = el('div', 'meta');
    meta.appendChild(el('span', 'task-id'));
    meta.appendChild(el('span', 'state'));
    info.appendChild(meta);
    var buttons = el('div', 'buttons');
    var ok = el('button', 'accept', 'Accept'), no = el('button', 'reject', 'Reject');
    ok.type = no.type = 'button';
    ok.tabIndex = no.tabIndex = -1; // the keys do this faster; Tab goes to the filters and pager
    buttons.appendChild(ok);
    buttons.appendChild(no);
    info.appendChild(buttons);
    info.appendChild(el('div', 'msg'));
    t.appendChild(info);
    return t;
  })();

  function tile(p) {
    var t = TILE.cloneNode(true);
    t.dataset.task = p.task;
    var img = t.querySelector('img');
    img.alt = 'task ' + p.task;
    img.src = thumb(p.task);
    t.querySelector('.labels').textContent = labelText(p.labels);
    var conf = t.querySelector('.conf');
    conf.classList.add(p.confidence >= 0.8 ? 'high' : p.confidence >= 0.5 ? 'mid' : 'low');
    conf.title = 'confidence ' + p.confidence.toFixed(3);
    conf.querySelector('i').style.width = Math.max(0, Math.min(100, p.confidence * 100)) + '%';
    conf.querySelector('.pct').textContent = percent(p.confidence);
    t.querySelector('.task-id').textContent = 'task ' + p.task;
    paint(t);
    return t;
  }

  // One listener for every tile's buttons and clicks, rather than three per tile.
  groupsEl.addEventListener('click', function (e) {
    var b = e.target.closest('button'), t = e.target.closest('.tile');
    if (!t || !b) return;
    focus(t, true);
    act(t, b.classList.contains('accept') ? 'accept' : 'reject');
  });
  groupsEl.addEventListener('mousedown', function (e) {
    var t = e.target.closest('.tile');
    if (t) focus(t, false);
  });

  function thumb(task) { return 'thumbs/' + encodeURIComponent(task) + '.jpg'; }

  function picture(task, alt) {
    var f = el('figure', 'pic');
    var img = document.createElement('img');
    img.loading = 'lazy'; // before src, or it loads at once
    img.decoding = 'async';
    img.alt = alt;
    if (task != null) img.src = thumb(task);
    f.appendChild(img);
    return f;
  }
  document.addEventListener('error', function (e) {
    var img = e.target;
    if (img && img.tagName === 'IMG' && img.parentNode && !img.parentNode.classList.contains('none')) {
      img.parentNode.classList.add('none');
      img.replaceWith(el('span', 'noimg', 'no thumbnail'));
    }
  }, true);

  function paint(t) {
    var s = tasks.get(+t.dataset.task);
    t.dataset.state = s.busy ? 'busy' : s.state;
    t.querySelector('.state').textContent = s.busy ? 'sending…' : s.state;
    var done = s.busy || s.state !== 'proposed';
    t.querySelector('.accept').disabled = done || !token;
    t.querySelector('.accept').title = token ? 'accept (a)' : 'sign in with your Label Studio token first: the annotation is created under your account';
    t.querySelector('.reject').disabled = done;
    t.querySelector('.msg').textContent = s.error;
    t.classList.toggle('failed', !!s.error);
  }

  function paintTask(task) {
    document.querySelectorAll('.tile[data-task="' + task + '"]').forEach(paint);
  }

  function allButton(b) {
    b.disabled = !token;
    b.title = token ? 'accept every pending label of this delegate (Shift+A)' : 'sign in with your Label Studio token first';
  }
  function authButtons(scope) {
    scope.querySelectorAll('.accept-all').forEach(allButton);
    scope.querySelectorAll('.tile').forEach(paint);
  }

  // ---- focus

  function tiles() { return Array.prototype.slice.call(groupsEl.querySelectorAll('.tile')); }
  function inField() {
    var a = document.activeElement;
    return a && (a.tagName === 'INPUT' || a.tagName === 'SELECT' || a.tagName === 'TEXTAREA');
  }

  function focus(t, move) {
    if (current && current !== t) current.classList.remove('current');
    current = t;
    if (!t) return;
    t.classList.add('current');
    if (move) {
      t.focus({ preventScroll: true });
      t.scrollIntoView({ block: 'nearest' });
    }
  }

  function pending(t) {
    var s = tasks.get(+t.dataset.task);
    return s.state === 'proposed' && !s.busy;
  }

  // The next pending tile after `from` in direction `dir`, wrapping; `from` null: from the start.
  function next(from, dir, wantPending) {
    var list = tiles(), n = list.length;
    if (!n) return null;
    var i = from ? list.indexOf(from) : (dir > 0 ? -1 : n);
    for (var step = 1; step <= n; step++) {
      var j = i + dir * step;
      if (!wantPending) return j >= 0 && j < n ? list[j] : null;
      var c = list[((j % n) + n) % n];
      if (c !== from && pending(c)) return c;
    }
    return null;
  }

  function move(dir) {
    var t = current ? next(current, dir, false) : tiles()[0];
    if (t) focus(t, true);
  }

  function moveGroup(dir) {
    var secs = Array.prototype.slice.call(groupsEl.querySelectorAll('.group'));
    if (!secs.length) return;
    var at = current ? secs.indexOf(current.closest('.group')) : -1;
    var sec = secs[Math.max(0, Math.min(secs.length - 1, at + dir))];
    var t = sec.querySelector('.tile');
    if (t) focus(t, true);
  }

  // ---- actions

  function act(t, verb) {
    if (!t) return;
    var task = +t.dataset.task, s = tasks.get(task);
    if (s.busy) return;
    if (s.state !== 'proposed') {
      say(task, 'Already ' + s.state + '.');
      return;
    }
    if (verb === 'accept' && !token) {
      say(task, 'Sign in with your Label Studio token (top right) to accept: the annotation is created under your account.');
      $('token').classList.add('attention');
      return;
    }
    send(task, verb);
    // move on at once: the answer comes while the reviewer looks at the next one
    var after = next(t, 1, true);
    if (after) focus(after, true);
  }

  function say(task, text) {
    tasks.get(task).error = text;
    paintTask(task);
  }

  // Answers of overlapping actions can arrive out of order, each with the counters of its own
  // moment: once all have settled, the counters are asked for afresh.
  var inflight = 0, overlapped = false;
  function settled(data) {
    inflight--;
    if (data && data.counters) counters(data.counters);
    if (inflight > 0 || !overlapped) return;
    overlapped = false;
    fetch(api + 'review?limit=1', { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(answer)
      .then(function (d) { if (inflight === 0) counters(d.counters); }, function () { /* the next action brings them */ });
  }

  function send(task, verb) {
    var s = tasks.get(task);
    if (++inflight > 1) overlapped = true;
    s.busy = true;
    s.error = '';
    paintTask(task);
    var headers = { Accept: 'application/json' };
    if (verb === 'accept') headers['X-Label-Studio-Token'] = token;
    return fetch(api + 'tasks/' + encodeURIComponent(task) + '/' + verb, { method: 'POST', headers: headers, cache: 'no-store' })
      .then(answer)
      .then(function (data) {
        s.busy = false;
        s.state = data.state || (verb === 'accept' ? 'accepted' : 'rejected');
        paintTask(task);
        settled(data);
        return true;
      }, function (e) {
        s.busy = false;
        s.error = (verb === 'accept' ? 'Accept' : 'Reject') + ' failed: ' + e.message;
        paintTask(task);
        settled(null);
        return false;
      });
  }

  function acceptGroup(sec) {
    if (!sec) return;
    var msg = sec.querySelector('.group-msg');
    if (!token) {
      msg.textContent = 'Sign in with your Label Studio token (top right) to accept.';
      return;
    }
    var todo = [], seen = new Set();
    sec._group.constituents.forEach(function (p) {
      var s = tasks.get(p.task);
      if (!seen.has(p.task) && s.state === 'proposed' && !s.busy) { seen.add(p.task); todo.push(p.task); }
    });
    if (!todo.length) { msg.textContent = 'Nothing pending here.'; return; }
    var tilesHere = sec.querySelectorAll('.tile'), last = tilesHere[tilesHere.length - 1];
    var ok = 0, failed = 0, at = 0;
    msg.textContent = 'Accepting ' + fmt.format(todo.length) + '…';
    function worker() {
      if (at >= todo.length) return Promise.resolve();
      return send(todo[at++], 'accept').then(function (done) {
        if (done) ok++; else failed++;
        msg.textContent = fmt.format(ok) + ' of ' + fmt.format(todo.length) + ' accepted' + (failed ? ', ' + fmt.format(failed) + ' failed' : '');
        return worker();
      });
    }
    var workers = [];
    for (var w = 0; w < BULK_PARALLEL; w++) workers.push(worker());
    var after = last ? next(last, 1, true) : null;
    if (after) focus(after, true);
    return Promise.all(workers);
  }

  // ---- filters and pages

  function applyFilter() {
    var min = minEl.value === '' ? 0 : Number(minEl.value), max = maxEl.value === '' ? 100 : Number(maxEl.value);
    var err = '';
    if (!(min >= 0 && min <= 100) || !(max >= 0 && max <= 100)) err = 'Confidence is a percentage from 0 to 100.';
    else if (min > max) err = 'The lower confidence is above the upper one.';
    $('filter-error').textContent = err;
    if (err) return;
    query.label = labelEl.value;
    query.min = min / 100;
    query.max = max / 100;
    query.offset = 0;
    load();
  }

  function turn(dir) {
    if (!page) return;
    var offset = query.offset + dir * LIMIT;
    if (offset < 0 || offset >= page.total) return;
    query.offset = offset;
    load();
    window.scrollTo(0, 0);
  }

  labelEl.addEventListener('change', applyFilter);
  minEl.addEventListener('change', applyFilter);
  maxEl.addEventListener('change', applyFilter);
  $('prev').addEventListener('click', function () { turn(-1); });
  $('next').addEventListener('click', function () { turn(1); });

  // ---- sign-in: the token lives in this tab's sessionStorage and goes only in accept requests

  function showAuth() {
    $('signed-out').hidden = !!token;
    $('signed-in').hidden = !token;
    body.dataset.signedIn = token ? '1' : '0';
    authButtons(groupsEl);
    if (page && page.groups.length) statusEl.textContent = 'Least certain first. ' + (token ? '' : 'Accept is off until you sign in (top right).');
  }
  $('signin').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = $('token'), v = input.value.trim();
    input.value = '';
    if (!v) { $('signin-note').classList.add('error'); return; }
    token = v;
    sessionStorage.setItem(TOKEN_KEY, v);
    input.classList.remove('attention');
    showAuth();
    input.blur();
    if (current) focus(current, true);
  });
  $('signout').addEventListener('click', function () {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    showAuth();
  });

  // ---- keys

  var help = $('help');
  function toggleHelp(open) {
    help.hidden = open === undefined ? !help.hidden : !open;
    if (!help.hidden) $('help-close').focus();
    else if (current) focus(current, true);
  }
  $('help-button').addEventListener('click', function () { toggleHelp(true); });
  $('help-close').addEventListener('click', function () { toggleHelp(false); });
  help.addEventListener('click', function (e) { if (e.target === help) toggleHelp(false); });

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Escape') {
      if (!help.hidden) toggleHelp(false);
      else if (inField()) { document.activeElement.blur(); if (current) focus(current, true); }
      return;
    }
    if (inField()) return;
    if (!help.hidden) {
      if (e.key === '?') { toggleHelp(false); e.preventDefault(); }
      return;
    }
    switch (e.key) {
      case 'j': case 'ArrowRight': move(1); break;
      case 'k': case 'ArrowLeft': move(-1); break;
      case 'ArrowDown': moveGroup(1); break;
      case 'ArrowUp': moveGroup(-1); break;
      case 'a': case 'A':
        if (e.shiftKey) acceptGroup(current && current.closest('.group'));
        else act(current, 'accept');
        break;
      case 'r': case 'R': act(current, 'reject'); break;
      case 'n': turn(1); break;
      case 'p': turn(-1); break;
      case '/': labelEl.focus(); break;
      case '?': toggleHelp(true); break;
      default: return;
    }
    e.preventDefault();
  });

  // ---- start

  labelEl.value = query.label;
  minEl.value = Math.round(query.min * 100);
  maxEl.value = Math.round(query.max * 100);
  showAuth();
  load();
})();
