// 申请受理: checks the corner coordinates as they are pasted or uploaded (POST
// /api/corners/check, the same reading the review will do) and shows every point with its
// label on the map, each ring as a line, and each problem at its points, with the list below;
// the 申报面积, when typed, is compared with the corners' area in the same check.
// Without scripts the page does the same on 检查坐标 (a plain form POST).
(function () {
  'use strict';
  const form = document.getElementById('intake-form');
  if (!form) return;
  const text = document.getElementById('corners_text');
  const file = document.getElementById('corners_file');
  const crs = document.getElementById('crs');
  const datum = document.getElementById('datum');
  const declared = document.getElementById('declared_area');
  const panel = document.getElementById('corner-check');
  let api = null;
  let timer = null;
  let seq = 0;

  function token() {
    const i = form.querySelector('input[name="csrf_token"]');
    return i ? i.value : '';
  }

  function el(tag, cls, txt) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined) e.textContent = txt;
    return e;
  }

  function table(id, head, rows) {
    const t = el('table', 'data');
    t.id = id;
    const thead = el('thead');
    const tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', null, h)); });
    thead.appendChild(tr);
    t.appendChild(thead);
    const tb = el('tbody');
    rows.forEach(function (r) {
      const row = el('tr', r.cls);
      r.cells.forEach(function (c) { row.appendChild(el('td', null, c)); });
      tb.appendChild(row);
    });
    t.appendChild(tb);
    return t;
  }

  function render(c) {
    if (!panel) return;
    panel.textContent = '';
    const problems = (c.problems || []).concat(c.option_problems || []);
    const area = c.area_km2 != null
      ? '椭球面积 ' + c.area_km2.toFixed(4) + ' km²（TD/T 1055-2019 附录D）；平面面积 ' + c.area_plane_m2.toFixed(2) + ' m²（高斯投影）'
      : '—（坐标有误时不计算面积）';
    panel.appendChild(el('p', 'notice ' + (c.ok ? 'ok' : 'error'),
      (c.ok ? '坐标无误' : '坐标有问题，见下表') + '：' + (c.layout_name || '') + '；' + (c.crs_name || '坐标系未能确定（见下列问题）') + '；' + area));
    if (problems.length) {
      panel.appendChild(table('corner-problems', ['类别', '问题', '拐点'], problems.map(function (p) {
        return { cls: p.severity === 'warning' ? 'problem-warning' : 'problem-error', cells: [p.severity_label || '错误', p.message, (p.points || []).join('、')] };
      })));
    }
    const stated = statedWords(c);
    if (stated.length) {
      const ul = el('ul', 'plain');
      ul.id = 'corner-stated';
      stated.forEach(function (s) { ul.appendChild(el('li', null, s)); });
      panel.appendChild(ul);
    }
    const heads = c.geographic ? ['纬度（录入）', '经度（录入）'] : ['X（录入）', 'Y（录入）'];
    panel.appendChild(table('corner-points', ['圈', '来源行', '点号', heads[0], heads[1], '位置（经纬度）'], (c.points || []).map(function (p) {
      const at = p.lon != null && p.lat != null
        ? '东经 ' + p.lon.toFixed(6) + '°，北纬 ' + p.lat.toFixed(6) + '°'
        : '—（未能定位）';
      return { cells: [p.ring, linesWords(p.source_lines || []), p.label, p.x_text, p.y_text, at] };
    })));
    declaredNote(c);
  }

  // What the text states about itself and the 申报面积, each with its outcome (as the page
  // without scripts says it).
  function statedWords(c) {
    const verdict = function (a) {
      return a === 'matches' ? '与按坐标计算的面积相符'
        : a === 'matches_plane_only' ? '仅与平面面积相符（见问题）'
          : a === 'mismatch' ? '与按坐标计算的面积不符（见问题）' : '无法核对（见问题）';
    };
    const st = c.stated || {};
    const out = (st.areas || []).map(function (a) {
      return '第 ' + a.line + ' 行说明' + (a.block ? '“' + a.block + '”' : '') + '面积“' + a.as_written + '”：' + verdict(a.agreement);
    });
    (st.point_counts || []).forEach(function (n) {
      out.push('第 ' + n.line + ' 行说明 ' + n.points + ' 个拐点：读到 ' + st.points_read + ' 个，' + (n.agrees ? '相符' : '不符（见问题）'));
    });
    if (c.declared) out.push('申报面积“' + c.declared.as_written + '”：' + verdict(c.declared.agreement));
    return out;
  }

  // The 申报面积's outcome under its field: a disagreement or an unreadable figure.
  function declaredNote(c) {
    if (!declared) return;
    let note = document.getElementById('declared_area-check');
    if (!note) {
      note = el('span', 'field-error');
      note.id = 'declared_area-check';
      declared.parentNode.appendChild(note);
    }
    const bad = (c.option_problems || []).find(function (p) { return p.field === 'declared_area'; });
    const mismatch = c.declared && c.declared.agreement === 'mismatch'
      ? (c.problems || []).find(function (p) { return p.message.indexOf('申报面积') === 0; })
      : null;
    note.textContent = bad ? bad.message : mismatch ? mismatch.message : '';
  }

  // 第 3 行 / 第 46–50 行: where a point was read.
  function linesWords(lines) {
    if (!lines.length) return '';
    const a = Math.min.apply(null, lines), b = Math.max.apply(null, lines);
    return a === b ? '第 ' + a + ' 行' : '第 ' + a + '–' + b + ' 行';
  }

  function draw(c) {
    if (!api || !c) return;
    const features = [];
    (c.rings_lonlat || []).forEach(function (r) {
      const coords = r.coordinates.slice();
      if (coords.length > 2) coords.push(coords[0]);
      features.push({ type: 'Feature', properties: { name: r.block === r.ring ? r.ring : r.block + ' ' + r.ring, layer: '拐点连线' }, geometry: { type: 'LineString', coordinates: coords } });
    });
    (c.points_lonlat || []).forEach(function (p) {
      features.push({ type: 'Feature', properties: { label: p.label, name: p.ring, layer: '拐点' }, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } });
    });
    const problemFeatures = [];
    (c.problems || []).forEach(function (p) {
      (p.places || []).forEach(function (q) {
        problemFeatures.push({ type: 'Feature', properties: { label: q.label, message: p.message, severity: p.severity, layer: '坐标问题' }, geometry: { type: 'Point', coordinates: [q.lon, q.lat] } });
      });
    });
    api.setLayer('corners', '拐点（点号）', { type: 'FeatureCollection', features: features }, 'corners', features.length > 0);
    api.setLayer('problems', '坐标问题（在其拐点处）', { type: 'FeatureCollection', features: problemFeatures }, 'problems', false);
  }

  function check() {
    const hasFile = file && file.files && file.files.length > 0;
    const pasted = text && text.value.trim() !== '';
    if (!hasFile && !pasted) return;
    const n = ++seq;
    let req;
    if (hasFile) {
      const fd = new FormData();
      fd.append('file', file.files[0]);
      fd.append('crs', crs ? crs.value : '');
      fd.append('datum', datum ? datum.value : '');
      fd.append('declared_area', declared ? declared.value : '');
      req = { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': token() }, body: fd };
    } else {
      const body = { text: text.value };
      if (crs && crs.value) body.crs = Number(crs.value);
      if (datum && datum.value) body.datum = datum.value;
      if (declared && declared.value.trim()) body.declared_area = declared.value;
      req = { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token() }, body: JSON.stringify(body) };
    }
    fetch('/api/corners/check', req).then(function (r) { return r.json(); }).then(function (c) {
      if (n !== seq) return;
      if (c.code) { if (panel) { panel.textContent = ''; panel.appendChild(el('p', 'notice error', c.message)); } return; }
      render(c);
      draw(c);
      form.dataset.checked = c.ok ? 'ok' : 'problems';
    }).catch(function () {});
  }

  function later() { clearTimeout(timer); timer = setTimeout(check, 500); }

  function ready(a) {
    if (api) return;
    api = a;
    const mapEl = document.getElementById('map');
    let page = null;
    try { page = JSON.parse(mapEl.dataset.page || 'null'); } catch (err) { page = null; }
    if (page && page.check) draw(page.check);
  }
  document.addEventListener('minplan:map-ready', function (e) { ready(e.detail.api); });
  const existing = document.getElementById('map');
  if (existing && existing.minplan) ready(existing.minplan);
  if (text) text.addEventListener('input', later);
  if (file) file.addEventListener('change', check);
  if (crs) crs.addEventListener('change', check);
  if (datum) datum.addEventListener('change', check);
  if (declared) declared.addEventListener('input', later);
})();
