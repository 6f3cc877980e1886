// The dashboard: polls api/state (relative, so the page works behind any
// prefix) once a second and redraws the job graph, the checkpoint chart and
// the lists. Hand-written SVG: no library to load, and the drawing is part
// of the DOM, so a headless browser's DOM dump shows it.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 150, BOX_H = 44, GAP_Y = 14, COL_W = 240, PAD = 24;
let updates = 0;

function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}

function rate(x) {
  if (x >= 1e6) return (x / 1e6).toFixed(2) + 'M/s';
  if (x >= 1e4) return (x / 1e3).toFixed(1) + 'k/s';
  return x.toFixed(0) + '/s';
}

function bytes(x) {
  if (x < 1024) return x + ' B';
  if (x < 1048576) return (x / 1024).toFixed(1) + ' KiB';
  return (x / 1048576).toFixed(1) + ' MiB';
}

function duration(s) {
  if (s < 1e-3) return (s * 1e6).toFixed(0) + ' us';
  if (s < 1) return (s * 1e3).toFixed(1) + ' ms';
  return s.toFixed(2) + ' s';
}

// Same thresholds as `sluice status`: calm < 10 % <= busy < 50 % <= saturated.
function pressure(share) {
  return share >= 0.5 ? 'saturated' : share >= 0.1 ? 'busy' : 'calm';
}

// Green when calm, through amber, to red when saturated.
function colour(share) {
  const s = Math.max(0, Math.min(1, share));
  return 'hsl(' + Math.round(130 * (1 - s)) + ', 60%, ' + (38 + 6 * s) + '%)';
}

// Column of each stage: sources at 0, every other stage right of its inputs.
function levels(graph) {
  const level = {};
  graph.stages.forEach((s, i) => { level[s.name] = graph.edges.length ? 0 : i; });
  for (let pass = 0; pass < graph.stages.length; ++pass)
    for (const e of graph.edges)
      level[e.to] = Math.max(level[e.to], level[e.from] + 1);
  return level;
}

function drawGraph(state) {
  const svg = document.getElementById('graph');
  svg.replaceChildren();
  const level = levels(state.graph);
  const byStage = {};
  for (const x of state.instances) (byStage[x.stage] = byStage[x.stage] || []).push(x);
  const used = {}, place = {};
  for (const s of state.graph.stages) {
    const col = level[s.name] || 0;
    const n = (byStage[s.name] || []).length || 1;
    const top = used[col] || 0;
    place[s.name] = { x: PAD + col * COL_W, y: PAD + top, h: n * (BOX_H + GAP_Y) - GAP_Y };
    used[col] = top + n * (BOX_H + GAP_Y) + GAP_Y;
  }
  let width = 0, height = 0;
  for (const k in place) {
    width = Math.max(width, place[k].x + BOX_W + PAD);
    height = Math.max(height, place[k].y + place[k].h + PAD);
  }
  svg.setAttribute('width', Math.max(width, 400));
  svg.setAttribute('height', Math.max(height, 120));
  for (const e of state.graph.edges) {
    const a = place[e.from], b = place[e.to];
    if (!a || !b) continue;
    const x1 = a.x + BOX_W, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2;
    const mx = (x1 + x2) / 2;
    svg.append(el('path', { class: 'edge', d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}` }));
    svg.append(el('text', { class: 'edge-label', x: mx, y: Math.min(y1, y2) - 6, 'text-anchor': 'middle' }, e.by));
  }
  for (const s of state.graph.stages) {
    (byStage[s.name] || []).forEach((x, i) => {
      const p = place[s.name];
      const y = p.y + i * (BOX_H + GAP_Y);
      const share = x.backpressured_share;
      const g = el('g', { class: 'instance', 'data-pressure': pressure(share) });
      g.append(el('title', {}, `${x.stage}/${x.instance}: ${x.records_in} in, ` +
        `${x.records_out} out, mailbox ${x.mailbox}, waiting ${x.waiting}/${x.budget}, ` +
        `credit held ${x.credit_held}, granted ${x.credit_granted}`));
      g.append(el('rect', { x: p.x, y: y, width: BOX_W, height: BOX_H - 8, rx: 4, fill: colour(share) }));
      g.append(el('text', { class: 'name', x: p.x + 6, y: y + 14 }, `${x.stage}/${x.instance}`));
      g.append(el('text', { x: p.x + 6, y: y + 29 },
        `${rate(Math.max(x.rate_in, x.rate_out))} bp ${Math.round(100 * share)}%`));
      const fill = x.budget > 0 ? Math.min(1, x.waiting / x.budget) : 0;
      g.append(el('rect', { class: 'fill-back', x: p.x, y: y + BOX_H - 6, width: BOX_W, height: 5 }));
      g.append(el('rect', { class: 'fill', x: p.x, y: y + BOX_H - 6, width: BOX_W * fill, height: 5 }));
      svg.append(g);
    });
  }
}

// Bars of the recent checkpoints: duration with its alignment inside (left
// axis), and stored size (right chart).
function drawCheckpoints(state) {
  const svg = document.getElementById('checkpoints');
  svg.replaceChildren();
  const cps = state.checkpoints.recent.slice(-30);
  const t = state.checkpoints;
  const last = cps.filter(c => c.completed).pop();
  document.getElementById('checkpoint-summary').textContent =
    `${t.completed} completed (${t.full} full, ${t.delta} incremental), ${t.aborted} aborted, ` +
    `${bytes(t.bytes)} stored` + (last ? `; latest: checkpoint ${last.id}, ${duration(last.duration_s)}, ` +
    `alignment ${last.alignment_s === null ? '-' : duration(last.alignment_s)}, ${bytes(last.bytes)}, ${last.kind}` : '');
  const H = 170, top = 28, w = 360, bw = Math.max(4, Math.floor(w / 30) - 3);
  const maxD = Math.max(1e-6, ...cps.map(c => c.duration_s));
  const maxB = Math.max(1, ...cps.map(c => c.bytes));
  svg.append(el('text', { x: 10, y: 16 }, `duration (max ${duration(maxD)}), alignment in orange`));
  svg.append(el('text', { x: w + 30, y: 16 }, `size (max ${bytes(maxB)})`));
  svg.append(el('line', { class: 'axis', x1: 10, y1: top + H, x2: 10 + w, y2: top + H }));
  svg.append(el('line', { class: 'axis', x1: w + 30, y1: top + H, x2: 2 * w + 30, y2: top + H }));
  cps.forEach((c, i) => {
    const x = 12 + i * (bw + 3);
    const h = Math.max(1, H * c.duration_s / maxD);
    const bar = el('rect', { class: c.completed ? 'bar' : 'bar aborted', x: x, y: top + H - h, width: bw, height: h });
    bar.append(el('title', {}, `checkpoint ${c.id}: ${c.completed ? c.kind : 'aborted: ' + c.reason}, ` +
      `${duration(c.duration_s)}, ${bytes(c.bytes)}`));
    svg.append(bar);
    if (c.alignment_s !== null) {
      const ah = Math.min(h, H * c.alignment_s / maxD);
      svg.append(el('rect', { class: 'align', x: x, y: top + H - ah, width: bw, height: ah }));
    }
    const sh = Math.max(1, H * c.bytes / maxB);
    svg.append(el('rect', { class: 'size', x: w + 32 + i * (bw + 3), y: top + H - sh, width: bw, height: sh }));
  });
  if (cps.length)
    svg.append(el('text', { x: 10, y: top + H + 16 }, `checkpoints ${cps[0].id} to ${cps[cps.length - 1].id}`));
}

function drawLists(state) {
  const ul = document.getElementById('recoveries');
  ul.replaceChildren();
  for (const r of state.recoveries) {
    const li = document.createElement('li');
    li.textContent = `${r.failed_stage}/${r.failed_instance}: ` +
      (r.restored_checkpoint ? `restored checkpoint ${r.restored_checkpoint}` : 'restarted from the beginning') +
      `, resumed after ${duration(r.time_to_resume_s)}, ${r.records_replayed} records replayed, ` +
      `${bytes(r.bytes_read)} read` + (r.reason ? ` (${r.reason})` : '');
    ul.append(li);
  }
  if (!state.recoveries.length) {
    const li = document.createElement('li');
    li.textContent = 'none';
    ul.append(li);
  }
  const nodes = document.getElementById('nodes');
  nodes.replaceChildren();
  for (const n of state.nodes) {
    const li = document.createElement('li');
    li.className = n.up ? 'node-up' : 'node-down';
    li.textContent = `${n.name} (${n.address}): ${n.up ? 'up' : 'down'}, ` +
      `${n.joins} joins, ${n.losses} losses`;
    nodes.append(li);
  }
  document.getElementById('nodes-section').hidden = !state.nodes.length;
  const l = state.latency;
  document.getElementById('latency').textContent = l.count === 0 ? 'not measured' :
    `p50 ${duration(l.p50_s)}, p90 ${duration(l.p90_s)}, p99 ${duration(l.p99_s)}, ` +
    `p99.9 ${duration(l.p999_s)} (${l.count} records)`;
}

function draw(state) {
  document.getElementById('job').textContent = state.job;
  document.title = 'Sluice: ' + state.job;
  document.getElementById('summary').textContent =
    `${state.done ? 'ended' : 'running'}, up ${duration(state.uptime_s)}, ` +
    `${state.instances.length} instances, rates over ${duration(state.window_s)}`;
  drawGraph(state);
  drawCheckpoints(state);
  drawLists(state);
}

async function poll() {
  try {
    const res = await fetch('api/state', { cache: 'no-store' });
    if (!res.ok) throw new Error('status ' + res.status);
    const state = await res.json();
    draw(state);
    ++updates;
    document.getElementById('live').textContent =
      `live: update ${updates}, sample ${state.sequence}, ${new Date().toLocaleTimeString()}`;
  } catch (err) {
    document.getElementById('live').textContent = `live: server unreachable (${err.message})`;
  }
  setTimeout(poll, 1000);
}

poll();
