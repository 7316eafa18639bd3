// The status page: plain browser JavaScript, no build step. It renders the `status` event of
// /api/v1/events, then updates the tables and appends to the uPlot charts on each `collection`
// and `sinks` event. Every text goes through textContent (nothing from the agent is parsed as HTML).
'use strict';
(function () {
  var MAX_POINTS = 600;
  var $ = function (id) { return document.getElementById(id); };
  var state = { startedAtMs: 0, offsetMs: 0, sinkNames: [], lastSent: {}, collectionChart: null, sinkChart: null };
  var collectionData = [[], [], []];
  var sinkData = [[]];

  function text(id, s) { $(id).textContent = s; }
  function fmtTime(ms) { return ms ? new Date(ms).toLocaleTimeString() : 'never'; }
  function fmtSeconds(s) { return s === null || s === undefined ? '–' : s.toFixed(4); }
  function fmtUptime(s) {
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60), sec = Math.floor(s % 60);
    return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + m + 'm ' + sec + 's';
  }
  function cell(tr, value, cls) {
    var td = document.createElement('td');
    td.textContent = value;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }
  function chartWidth() { return Math.min(560, Math.max(300, window.innerWidth - 80)); }

  function makeChart(el, series) {
    return new uPlot({
      width: chartWidth(),
      height: 200,
      series: [{}].concat(series),
      axes: [{}, { size: 60 }],
      legend: { live: false },
    }, null, el);
  }
  function append(data, chart, el, x, ys) {
    data[0].push(x);
    for (var i = 0; i < ys.length; i++) data[i + 1].push(ys[i]);
    if (data[0].length > MAX_POINTS) for (var k = 0; k < data.length; k++) data[k].shift();
    chart.setData(data);
    el.setAttribute('data-points', String(data[0].length));
  }

  function renderCollectors(collectors) {
    var body = $('collectors').tBodies[0];
    body.textContent = '';
    collectors.forEach(function (c) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-collector', c.name);
      cell(tr, c.name);
      cell(tr, c.success === null ? 'not run yet' : c.success ? 'ok' : 'failed', c.success === null ? 'muted' : c.success ? 'ok' : 'fail');
      cell(tr, fmtSeconds(c.durationSeconds), 'num');
      cell(tr, c.error || '', 'error');
      body.appendChild(tr);
    });
  }

  function renderSinks(s) {
    text('role', s.role === 'none' ? 'no push sink' : s.role === 'leader' ? 'leader (pushing)' : 'standby (not pushing)');
    var body = $('sinks').tBodies[0];
    body.textContent = '';
    s.sinks.forEach(function (k) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-sink', k.name);
      cell(tr, k.name + (k.degraded ? ' (disk degraded)' : ''));
      cell(tr, String(k.queueBatches), 'num');
      cell(tr, String(k.queueBytes), 'num');
      cell(tr, fmtTime(k.lastSuccessMs));
      cell(tr, k.lastError ? fmtTime(k.lastError.atMs) + ': ' + k.lastError.message : '', 'error');
      body.appendChild(tr);
    });
  }

  function onCollection(c) {
    text('last', '#' + c.seq + ' at ' + fmtTime(c.timestampMs));
    var rows = {};
    c.collectors.forEach(function (r) { rows[r.name] = r; });
    var known = Array.prototype.map.call($('collectors').tBodies[0].rows, function (tr) { return tr.getAttribute('data-collector'); });
    renderCollectors(known.map(function (n) { return rows[n] || { name: n, success: null, durationSeconds: null }; }));
    append(collectionData, state.collectionChart, $('chart-collection'), c.timestampMs / 1000, [c.totalSeconds, c.maxSeconds]);
  }

  function onSinks(s) {
    renderSinks(s);
    if (!state.sinkChart) return;
    var rates = state.sinkNames.map(function (name) {
      var k = s.sinks.filter(function (x) { return x.name === name; })[0];
      var prev = state.lastSent[name];
      state.lastSent[name] = k ? { sent: k.samplesSent, at: s.nowMs } : prev;
      if (!k || !prev || s.nowMs <= prev.at) return null;
      return (k.samplesSent - prev.sent) / ((s.nowMs - prev.at) / 1000);
    });
    if (rates.every(function (r) { return r === null; })) return;
    append(sinkData, state.sinkChart, $('chart-sinks'), s.nowMs / 1000, rates);
  }

  function onStatus(st) {
    state.startedAtMs = st.startedAtMs;
    state.offsetMs = Date.now() - st.nowMs;
    text('version', st.version);
    text('node', st.nodeVersion);
    text('host', st.hostname + ' (pid ' + st.pid + ')');
    text('interval', st.intervalMs / 1000 + ' s');
    text('last', st.collection ? '#' + st.collection.seq + ' at ' + fmtTime(st.collection.timestampMs) : 'none yet');
    $('config').textContent = JSON.stringify(st.config, null, 2);
    renderCollectors(st.collectors);
    renderSinks({ role: st.role, sinks: st.sinks, nowMs: st.nowMs });
    if (!state.collectionChart) {
      state.collectionChart = makeChart($('chart-collection'), [
        { label: 'sum', stroke: '#1f77b4', width: 2 },
        { label: 'slowest', stroke: '#ff7f0e', width: 1 },
      ]);
    }
    if (!state.sinkChart && st.sinks.length > 0) {
      var palette = ['#2ca02c', '#d62728', '#9467bd', '#8c564b'];
      state.sinkNames = st.sinks.map(function (k) { return k.name; });
      sinkData = [[]].concat(state.sinkNames.map(function () { return []; }));
      state.sinkChart = makeChart($('chart-sinks'), state.sinkNames.map(function (n, i) {
        return { label: n, stroke: palette[i % palette.length], width: 2 };
      }));
    }
    $('no-sinks').hidden = st.sinks.length > 0;
    tick();
  }

  function tick() {
    if (state.startedAtMs) text('uptime', fmtUptime((Date.now() - state.offsetMs - state.startedAtMs) / 1000));
  }
  setInterval(tick, 1000);

  var es = new EventSource('api/v1/events');
  es.onopen = function () { text('conn', 'live'); $('conn').className = 'ok'; };
  es.onerror = function () { text('conn', 'disconnected, retrying…'); $('conn').className = 'fail'; };
  es.addEventListener('status', function (e) { onStatus(JSON.parse(e.data)); });
  es.addEventListener('collection', function (e) { if (state.collectionChart) onCollection(JSON.parse(e.data)); });
  es.addEventListener('sinks', function (e) { onSinks(JSON.parse(e.data)); });
})();
