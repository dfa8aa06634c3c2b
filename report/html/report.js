
(function () {
  'use strict';
  // Everything this script shows comes from the JSON data block and is
  // written with textContent: account data never becomes markup.
  var data = JSON.parse(document.getElementById('lockdown-data').textContent);
  var rows = data.results;
  var knownSev = { critical: 1, high: 1, medium: 1, low: 1, info: 1 };
  var knownStatus = { 'FAIL': 1, 'NOT ASSESSED': 1, 'PASS': 1, 'NOT APPLICABLE': 1 };
  var statusClass = { 'FAIL': 'st-fail', 'NOT ASSESSED': 'st-na', 'PASS': 'st-pass', 'NOT APPLICABLE': 'st-napp' };
  var form = document.getElementById('filters');
  var list = document.getElementById('results');
  var count = document.getElementById('count');
  var pageLabel = document.getElementById('page');
  var prev = document.getElementById('prev');
  var next = document.getElementById('next');
  var search = document.getElementById('f-search');
  var checkSel = document.getElementById('f-check');
  var controlSel = document.getElementById('f-control');
  var sizeSel = document.getElementById('f-size');
  var haystack = null;
  var matches = [];
  var page = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function evidenceText(v) {
    return JSON.stringify(v);
  }

  function buildHaystack() {
    var evText = data.evidence.map(evidenceText);
    var ctlText = data.controls.map(function (c) { return c.join(' '); });
    haystack = new Array(rows.length);
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var c = data.checks[r[0]];
      haystack[i] = (c.id + ' ' + c.title + ' ' + r[3] + ' ' + r[4] + ' ' + r[5] + ' ' + r[8] + ' ' +
        (r[6] >= 0 ? evText[r[6]] : '') + ' ' + (r[7] >= 0 ? ctlText[r[7]] : '')).toLowerCase();
    }
  }

  function checkedValues(name) {
    var out = {};
    var boxes = form.querySelectorAll('input[name="' + name + '"]');
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].checked) { out[boxes[i].value] = true; }
    }
    return out;
  }

  function filter() {
    var sev = checkedValues('sev');
    var st = checkedValues('status');
    var sevOK = data.severities.map(function (s) { return !!(knownSev[s] ? sev[s] : sev.other); });
    var stOK = data.statuses.map(function (s) { return !!(knownStatus[s] ? st[s] : st.other); });
    var check = checkSel.value;
    var checkIx = -1;
    if (check !== '') {
      for (var k = 0; k < data.checks.length; k++) {
        if (data.checks[k].id === check) { checkIx = k; }
      }
    }
    var ctlOK = null;
    if (controlSel && controlSel.value !== '') {
      var want = controlSel.value;
      var prefix = want.charAt(want.length - 1) === '/';
      ctlOK = data.controls.map(function (tags) {
        return tags.some(function (t) { return prefix ? t.indexOf(want) === 0 : t === want; });
      });
    }
    var q = search.value.trim().toLowerCase();
    var words = q === '' ? [] : q.split(/\s+/);
    if (words.length > 0 && haystack === null) { buildHaystack(); }
    var out = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (!stOK[r[1]] || !sevOK[r[2]]) { continue; }
      if (check !== '' && r[0] !== checkIx) { continue; }
      if (ctlOK !== null && (r[7] < 0 || !ctlOK[r[7]])) { continue; }
      var ok = true;
      for (var w = 0; w < words.length; w++) {
        if (haystack[i].indexOf(words[w]) < 0) { ok = false; break; }
      }
      if (ok) { out.push(i); }
    }
    matches = out;
    page = 0;
    show();
  }

  function evidenceNode(v) {
    if (v === null || typeof v !== 'object') {
      return el('code', null, typeof v === 'string' ? v : JSON.stringify(v));
    }
    if (Array.isArray(v)) {
      var ul = el('ul');
      v.forEach(function (item) {
        var li = el('li');
        li.appendChild(evidenceNode(item));
        ul.appendChild(li);
      });
      return ul;
    }
    var dl = el('dl', 'ev');
    Object.keys(v).sort().forEach(function (k) {
      dl.appendChild(el('dt', null, k));
      var dd = el('dd');
      dd.appendChild(evidenceNode(v[k]));
      dl.appendChild(dd);
    });
    return dl;
  }

  function remediationNode(c) {
    var box = el('div', 'remediation');
    box.appendChild(el('h5', null, 'Remediation'));
    c.remediation.forEach(function (b) {
      if (b.k === 'cmd') {
        var pre = el('pre');
        pre.appendChild(el('code', null, b.t));
        box.appendChild(pre);
      } else if (b.k === 'console') {
        var p = el('p', 'console');
        p.appendChild(el('span', 'label', 'Console:'));
        p.appendChild(document.createTextNode(' ' + b.t));
        box.appendChild(p);
      } else {
        box.appendChild(el('p', null, b.t));
      }
    });
    if (c.docs) {
      var a = el('a', null, 'Documentation');
      a.href = c.docs;
      a.rel = 'noopener noreferrer';
      var pa = el('p');
      pa.appendChild(a);
      box.appendChild(pa);
    }
    return box;
  }

  function resultNode(i) {
    var r = rows[i];
    var c = data.checks[r[0]];
    var status = data.statuses[r[1]];
    var sev = data.severities[r[2]];
    var li = el('li', 'result');
    var head = el('div', 'rhead');
    head.appendChild(el('span', 'badge ' + (statusClass[status] || 'st-other'), r[8] || status));
    head.appendChild(el('span', 'badge ' + (knownSev[sev] ? 'sev-' + sev : 'sev-other'), sev || 'unrated'));
    head.appendChild(el('strong', null, c.title));
    head.appendChild(el('code', 'check', c.id));
    li.appendChild(head);
    var res = el('p');
    res.appendChild(el('code', 'res', r[3]));
    if (r[5]) { res.appendChild(el('span', 'muted', ' (' + r[5] + ')')); }
    li.appendChild(res);
    li.appendChild(el('p', 'msg', r[4]));
    var more = el('details');
    more.appendChild(el('summary', null, r[6] >= 0 ? 'Evidence and remediation' : 'Remediation'));
    more.addEventListener('toggle', function () {
      if (!more.open || more.dataset.filled) { return; }
      more.dataset.filled = '1';
      if (r[6] >= 0) { more.appendChild(evidenceNode(data.evidence[r[6]])); }
      if (r[7] >= 0) { more.appendChild(el('p', 'muted', 'Controls: ' + data.controls[r[7]].join(', '))); }
      more.appendChild(remediationNode(c));
    });
    li.appendChild(more);
    return li;
  }

  function show() {
    var size = parseInt(sizeSel.value, 10) || 50;
    var pages = Math.max(1, Math.ceil(matches.length / size));
    if (page >= pages) { page = pages - 1; }
    var start = page * size;
    var end = Math.min(matches.length, start + size);
    var frag = document.createDocumentFragment();
    for (var i = start; i < end; i++) { frag.appendChild(resultNode(matches[i])); }
    list.textContent = '';
    list.appendChild(frag);
    list.start = start + 1;
    count.textContent = matches.length === 0 ? 'No results match the filters (' + rows.length + ' results in all).' :
      'Showing ' + (start + 1) + '–' + end + ' of ' + matches.length + ' matching results (' + rows.length + ' in all).';
    count.dataset.matches = String(matches.length);
    pageLabel.textContent = 'Page ' + (page + 1) + ' of ' + pages;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }

  var timer = null;
  search.addEventListener('input', function () {
    if (timer !== null) { clearTimeout(timer); }
    timer = setTimeout(function () { timer = null; filter(); }, rows.length > 20000 ? 200 : 60);
  });
  form.addEventListener('change', function (e) {
    if (e.target === search) { return; }
    if (e.target === sizeSel) { page = 0; show(); return; }
    filter();
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); filter(); });
  prev.addEventListener('click', function () { if (page > 0) { page--; show(); } });
  next.addEventListener('click', function () { page++; show(); });

  document.getElementById('static-findings').hidden = true;
  document.getElementById('explorer').hidden = false;
  filter();
  document.documentElement.dataset.ready = '1';
})();
