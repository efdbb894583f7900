// minplan maps: one module for every page with a map (规划区块, 申请受理, 审查记录, 矿业权,
// 图层管理). OpenLayers in the plan's CGCS2000 Gauss–Krüger zone; proj4 definitions of every
// CGCS2000 Gauss–Krüger CRS (3° zones 25–45: EPSG:4513–4533 with the zone prefix in Y,
// 4534–4554 without; 6° zones 13–23: 4491–4501 with, 4502–4512 without) and EPSG:4490.
// Coordinates are shown as X (north) / Y (east, with the zone prefix) and as lon/lat.
// Layers come from the page (data-layers: API URLs or inline GeoJSON), a layer switcher,
// attributes on click, a measure tool whose numbers come from the server
// (POST /api/measure: ellipsoidal length and area, TD/T 1055-2019 附录D), and optional base
// tiles (data-tile-url; none by default — nothing is loaded from the network).
//
// Page scripts get the map from the `minplan:map-ready` event on the map element:
// `event.detail.api.setLayer(id, name, geojson, styleName, fit)`.
(function () {
  'use strict';
  if (typeof ol === 'undefined' || typeof proj4 === 'undefined') return;

  // --- Coordinate reference systems -------------------------------------------------------
  const ELLPS = '+ellps=GRS80 +units=m +no_defs'; // CGCS2000's ellipsoid (f differs at 1e-12)
  proj4.defs('EPSG:4490', '+proj=longlat +ellps=GRS80 +no_defs');
  function tmerc(cm, x0) {
    return '+proj=tmerc +lat_0=0 +lon_0=' + cm + ' +k=1 +x_0=' + x0 + ' +y_0=0 ' + ELLPS;
  }
  for (let z = 25; z <= 45; z++) {
    proj4.defs('EPSG:' + (4513 + z - 25), tmerc(3 * z, z * 1e6 + 500000));
    proj4.defs('EPSG:' + (4534 + z - 25), tmerc(3 * z, 500000));
  }
  for (let z = 13; z <= 23; z++) {
    proj4.defs('EPSG:' + (4491 + z - 13), tmerc(6 * z - 3, z * 1e6 + 500000));
    proj4.defs('EPSG:' + (4502 + z - 13), tmerc(6 * z - 3, 500000));
  }
  ol.proj.proj4.register(proj4);

  // --- Styles -------------------------------------------------------------------------------
  function style(stroke, fill, width, dash) {
    return new ol.style.Style({
      stroke: new ol.style.Stroke({ color: stroke, width: width || 1.5, lineDash: dash }),
      fill: new ol.style.Fill({ color: fill }),
    });
  }
  function pointStyle(color, radius, text, textColor) {
    return new ol.style.Style({
      image: new ol.style.Circle({
        radius: radius,
        fill: new ol.style.Fill({ color: color }),
        stroke: new ol.style.Stroke({ color: '#fff', width: 1.5 }),
      }),
      text: text ? new ol.style.Text({
        text: String(text), offsetY: -radius - 8, font: '600 12px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
        fill: new ol.style.Fill({ color: textColor || '#1d2530' }),
        stroke: new ol.style.Stroke({ color: '#fff', width: 3 }),
      }) : undefined,
    });
  }
  // Planning blocks: exploration dotted, wide and hatched under mining's thin solid line, so
  // that an exploration and a mining block with one outline both show. Labels (block
  // numbers) are decluttered by the layer; a block under MIN_PX pixels across is drawn as a
  // marker (square: mining, diamond: exploration) so that it is not a single pixel.
  const MIN_PX = 10;
  function hatch(color) {
    const c = document.createElement('canvas');
    c.width = 8; c.height = 8;
    const g = c.getContext('2d');
    g.strokeStyle = color; g.lineWidth = 1;
    g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.stroke();
    return g.createPattern(c, 'repeat');
  }
  const BLOCK = {
    '勘查': { color: '#1f6fd1', fill: null, width: 4, dash: [1, 6], z: 1, shape: 'diamond' },
    '开采': { color: '#c62828', fill: 'rgba(198,40,40,0.16)', width: 1.6, dash: undefined, z: 2, shape: 'square' },
  };
  let hatchFill = null;
  function blockStyle(f, resolution) {
    const k = BLOCK[f.get('kind')] || BLOCK['开采'];
    if (!hatchFill) hatchFill = hatch('rgba(31,111,209,0.45)');
    const g = f.getGeometry();
    const e = g.getExtent();
    const px = Math.max(ol.extent.getWidth(e), ol.extent.getHeight(e)) / resolution;
    const text = new ol.style.Text({
      text: String(f.get('number') || ''), font: '600 12px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
      fill: new ol.style.Fill({ color: k.color }), stroke: new ol.style.Stroke({ color: '#fff', width: 3 }),
      // Above a small block (never over it); an exploration block's number under a mining
      // block's when the two share an outline.
      offsetY: px < 40 ? -(Math.max(px, 14) / 2 + 9) : (k.shape === 'diamond' ? 22 : 0), overflow: true,
    });
    if (px < MIN_PX) {
      return new ol.style.Style({
        geometry: new ol.geom.Point(ol.extent.getCenter(e)),
        image: new ol.style.RegularShape({
          points: 4, radius: 7, angle: k.shape === 'square' ? Math.PI / 4 : 0,
          fill: new ol.style.Fill({ color: k.shape === 'square' ? 'rgba(198,40,40,0.35)' : 'rgba(31,111,209,0.35)' }),
          stroke: new ol.style.Stroke({ color: k.color, width: 2 }),
        }),
        text: text, zIndex: k.z,
      });
    }
    return new ol.style.Style({
      stroke: new ol.style.Stroke({ color: k.color, width: k.width, lineDash: k.dash }),
      fill: new ol.style.Fill({ color: k.fill || hatchFill }),
      text: text, zIndex: k.z,
    });
  }
  const rightStyles = {
    '在审': style('#e07b00', 'rgba(224,123,0,0.15)', 2, [8, 4]),
    '有效': style('#00695c', 'rgba(0,105,92,0.15)', 2),
    other: style('#8a8a8a', 'rgba(138,138,138,0.12)', 1.5, [2, 3]),
  };
  const STYLES = {
    outline: { style: style('#333', 'rgba(0,0,0,0)', 2, [10, 6]), color: '#333' },
    ecological_red_line: { style: style('#2e7d32', 'rgba(46,125,50,0.22)'), color: '#2e7d32' },
    permanent_basic_farmland: { style: style('#c49000', 'rgba(240,200,40,0.35)'), color: '#c49000' },
    urban_development_boundary: { style: style('#6d6d6d', 'rgba(120,120,120,0.20)'), color: '#6d6d6d' },
    visible_corridor: { style: style('#7b3fa0', 'rgba(123,63,160,0.15)'), color: '#7b3fa0' },
    blocks: { style: blockStyle, color: '#c62828', declutter: true },
    rights: { style: function (f) { return rightStyles[f.get('status')] || rightStyles.other; }, color: '#00695c' },
    application: { style: style('#d50000', 'rgba(213,0,0,0.10)', 3), color: '#d50000' },
    conflict: { style: style('#6a00b8', 'rgba(106,0,184,0.55)', 1.5), color: '#6a00b8' },
    corners: {
      style: function (f) {
        if (f.getGeometry().getType() === 'Point') return pointStyle('#1f4e8c', 4, f.get('label'));
        return style('#1f4e8c', 'rgba(0,0,0,0)', 2, [4, 3]);
      },
      color: '#1f4e8c',
    },
    problems: {
      style: function (f) {
        return pointStyle(f.get('severity') === 'warning' ? '#e07b00' : '#d50000', 8, '!' + (f.get('label') || ''), '#b42318');
      },
      color: '#d50000',
    },
    measure: { style: style('#ff6d00', 'rgba(255,109,0,0.15)', 2.5, [6, 4]), color: '#ff6d00' },
    // 生态修复: legacy mines by status; schematic entries dashed.
    legacy_mines: {
      style: function (f) {
        const done = f.get('status') === '已治理' || f.get('status') === '已验收';
        const c = done ? '#2e7d32' : '#8d4a00';
        return style(c, done ? 'rgba(46,125,50,0.25)' : 'rgba(141,74,0,0.25)', 2, f.get('schematic') ? [6, 4] : undefined);
      },
      color: '#8d4a00',
    },
  };

  // --- Attributes ---------------------------------------------------------------------------
  const NAMES = {
    layer: '图层', rule: '规则', rule_title: '审查事项', outcome: '结论', number: '编号', id: '编号',
    name: '名称', label: '点号', message: '问题', holder_name: '矿业权人', kind_label: '类型', kind: '类别',
    status: '状态', approval: '划定/审批', minerals: '矿种', category: '矿种类别', capacity: '生产规模',
    valid_to: '有效期至', conclusion: '最近审查结论', area_km2: '椭球面积（km²）', area_m2: '面积（m²）',
    percent: '占申请范围（%）', class: '类型', cite: '出处', buffer_m: '缓冲宽度（米）', source: '来源',
    direction: '修复方向', projects: '修复项目', report_year: '年度报告',
    disturbed_ha: '本年损毁土地（公顷）', restored_ha: '本年复垦（治理）（公顷）',
  };
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function fmtValue(k, v) {
    if (Array.isArray(v)) return v.length ? v.join('、') : '（未载明）';
    if (typeof v === 'number' && (k === 'area_m2')) return v.toFixed(2);
    if (typeof v === 'number' && (k === 'percent')) return v.toFixed(2);
    return v;
  }

  // --- CSRF token for the measure request ---------------------------------------------------
  let token = null;
  function csrfToken() {
    const input = document.querySelector('input[name="csrf_token"]');
    if (input && input.value) return Promise.resolve(input.value);
    if (token) return Promise.resolve(token);
    return fetch('/api/session', { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (j) { token = j.csrf_token; return token; });
  }

  // --- One map ------------------------------------------------------------------------------
  function create(el) {
    const zone = Number(el.dataset.zone);
    const code = 'EPSG:' + el.dataset.epsg;
    const fmt = new ol.format.GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: code });
    const defs = JSON.parse(el.dataset.layers || '[]');
    const layers = [];
    const byId = {};
    let fitExtent = ol.extent.createEmpty();
    const inlineFits = [];
    const view = new ol.View({ projection: code, center: ol.proj.fromLonLat([131.1, 44.41], code), zoom: 10 });

    if (el.dataset.tileUrl) {
      const tiles = new ol.layer.Tile({ source: new ol.source.XYZ({ url: el.dataset.tileUrl }) });
      tiles.set('title', '底图');
      tiles.set('color', '#999');
      layers.push(tiles);
    }

    // The page's box (data-fit: the review figure's frame — the application and every
    // feature its rules cite) wins over the layers' extents.
    let fixedFit = null;
    if (el.dataset.fit) {
      try { fixedFit = ol.proj.transformExtent(JSON.parse(el.dataset.fit), 'EPSG:4490', code); } catch (e) { fixedFit = null; }
    }
    function padding() {
      // Keep features clear of the open legend (top right).
      const sw = el.parentElement.querySelector('.layer-switcher');
      const right = sw && !sw.classList.contains('collapsed') && el.clientWidth > 700 ? sw.offsetWidth + 16 : 30;
      return [30, right, 40, 30];
    }
    function fitTo(source) {
      if (fixedFit) return;
      const e = source.getExtent();
      if (!e || !isFinite(e[0])) return;
      ol.extent.extend(fitExtent, e);
      view.fit(fitExtent, { padding: padding(), minResolution: 0.3 });
    }

    function makeLayer(d) {
      const s = STYLES[d.style] || STYLES.outline;
      let source;
      if (d.geojson) {
        source = new ol.source.Vector({ features: fmt.readFeatures(d.geojson) });
      } else {
        source = new ol.source.Vector({ url: d.url, format: fmt });
      }
      const layer = new ol.layer.Vector({ source: source, style: s.style, visible: d.visible !== false, declutter: !!s.declutter });
      layer.set('title', d.name);
      layer.set('id', d.id);
      layer.set('color', s.color);
      if (d.fit) {
        // Fit once the map exists (it knows its size then): inline data at once, URLs when
        // they have loaded.
        if (d.geojson) inlineFits.push(source);
        else source.once('featuresloadend', function () { fitTo(source); });
      }
      return layer;
    }
    defs.forEach(function (d) { const l = makeLayer(d); byId[d.id] = l; layers.push(l); });
    const measureSource = new ol.source.Vector();
    const measureLayer = new ol.layer.Vector({ source: measureSource, style: STYLES.measure.style });
    measureLayer.set('id', 'measure');
    layers.push(measureLayer);

    const map = new ol.Map({
      target: el,
      layers: layers,
      view: view,
      controls: ol.control.defaults.defaults({ attribution: false }).extend([new ol.control.ScaleLine({ units: 'metric' })]),
    });

    inlineFits.forEach(fitTo);

    // Legend: collapsible (folded at phone width), the blocks' two kinds shown apart.
    const wrapEl = el.parentElement;
    const swEl = wrapEl.querySelector('.layer-switcher');
    if (swEl) {
      const head = swEl.querySelector('strong');
      const toggle = document.createElement('button');
      toggle.type = 'button'; toggle.className = 'legend-toggle'; toggle.title = '收起/展开图例';
      toggle.textContent = '图例 ▾';
      if (head) head.replaceWith(toggle); else swEl.prepend(toggle);
      toggle.addEventListener('click', function () {
        swEl.classList.toggle('collapsed');
        toggle.textContent = swEl.classList.contains('collapsed') ? '图例 ▸' : '图例 ▾';
      });
      if (el.clientWidth < 600) { swEl.classList.add('collapsed'); toggle.textContent = '图例 ▸'; }
    }
    if (fixedFit) view.fit(fixedFit, { padding: padding(), minResolution: 0.2 });

    // North arrow (grid north: the map is drawn in the Gauss–Krüger plane), and the print
    // layout: A4/A3 landscape, title, date in Beijing time, legend, scale line.
    const north = document.createElement('div');
    north.className = 'north-arrow'; north.title = '指北针（坐标北）';
    north.innerHTML = '<svg viewBox="0 0 20 34" width="20" height="34" aria-hidden="true"><text x="10" y="9" text-anchor="middle" font-size="9" font-family="sans-serif">N</text><path d="M10 11 L4 32 L10 27 Z" fill="#000"/><path d="M10 11 L16 32 L10 27 Z" fill="#fff" stroke="#000" stroke-width="0.8"/></svg>';
    wrapEl.appendChild(north);
    const today = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date());
    const h1 = document.querySelector('h1');
    const printHead = document.createElement('div');
    printHead.className = 'map-print-head';
    printHead.innerHTML = '<strong></strong><span></span>';
    printHead.querySelector('strong').textContent = el.dataset.title || (h1 ? h1.textContent : '地图');
    printHead.querySelector('span').textContent = '打印日期：' + today + '（北京时间）';
    wrapEl.prepend(printHead);
    const printBar = document.createElement('div');
    printBar.className = 'map-print-bar';
    printBar.innerHTML = '<label>纸张 <select class="paper"><option value="A4">A4 横向</option><option value="A3">A3 横向</option></select></label> <button type="button" class="small print-map">打印地图</button>';
    wrapEl.appendChild(printBar);
    let pageStyle = null;
    function endPrint() {
      document.body.classList.remove('printing-map');
      wrapEl.classList.remove('print-target', 'paper-A4', 'paper-A3');
      if (pageStyle) { pageStyle.remove(); pageStyle = null; }
      map.updateSize();
    }
    printBar.querySelector('.print-map').addEventListener('click', function () {
      const paper = printBar.querySelector('.paper').value;
      pageStyle = document.createElement('style');
      pageStyle.textContent = '@page { size: ' + paper + ' landscape; margin: 10mm; }';
      document.head.appendChild(pageStyle);
      document.body.classList.add('printing-map');
      wrapEl.classList.add('print-target', 'paper-' + paper);
      map.updateSize();
      map.once('rendercomplete', function () {
        window.addEventListener('afterprint', endPrint, { once: true });
        window.print();
      });
      map.render();
    });

    // Layer switcher.
    const wrap = el.parentElement;
    const sw = wrap.querySelector('.layer-switcher');
    function switcherEntry(layer) {
      if (!sw || !layer.get('title')) return;
      const label = document.createElement('label');
      label.dataset.layer = layer.get('id') || '';
      const cb = document.createElement('input');
      cb.type = 'checkbox'; cb.checked = layer.getVisible();
      cb.addEventListener('change', function () { layer.setVisible(cb.checked); });
      const swatch = document.createElement('span');
      swatch.className = 'swatch'; swatch.style.borderColor = layer.get('color') || '#333';
      label.append(cb, swatch, document.createTextNode(layer.get('title')));
      sw.appendChild(label);
      if (layer.get('id') === 'blocks') {
        [['kind-exploration', '勘查规划区块（蓝点线、斜线填充）'], ['kind-mining', '开采规划区块（红实线）']].forEach(function (k) {
          const sub = document.createElement('div');
          sub.className = 'legend-sub ' + k[0];
          const sw2 = document.createElement('span');
          sw2.className = 'swatch';
          sub.append(sw2, document.createTextNode(k[1]));
          sw.appendChild(sub);
        });
      }
    }
    layers.forEach(switcherEntry);

    // Attributes on click.
    const popup = wrap.querySelector('.popup');
    map.on('singleclick', function (evt) {
      if (drawing) return;
      const hits = [];
      map.forEachFeatureAtPixel(evt.pixel, function (f, layer) { if (layer && layer.get('title')) hits.push([f, layer]); });
      if (!popup) return;
      if (!hits.length) { popup.hidden = true; return; }
      let html = '<button type="button" class="close" title="关闭">×</button>';
      hits.slice(0, 5).forEach(function (h) {
        const p = h[0].getProperties();
        html += '<p><strong>' + esc(h[1].get('title')) + '</strong>' + (p.schematic || p['示意'] ? ' <span class="badge schematic">示意</span>' : '') + '</p><table>';
        Object.keys(NAMES).forEach(function (k) {
          let v = p[k];
          if (v === undefined || v === null || v === '' || (k === 'kind' && p.kind_label)) return;
          html += '<tr><th>' + NAMES[k] + '</th><td>' + esc(fmtValue(k, v)) + '</td></tr>';
        });
        html += '</table>';
      });
      popup.innerHTML = html;
      popup.hidden = false;
      popup.scrollTop = 0;
      popup.querySelector('.close').addEventListener('click', function () { popup.hidden = true; });
    });

    // Mouse position: X/Y with the zone prefix (as Chinese tables write them) and lon/lat.
    const pos = wrap.querySelector('.mouse-position');
    map.on('pointermove', function (evt) {
      if (!pos) return;
      const c = evt.coordinate;
      const ll = ol.proj.transform(c, code, 'EPSG:4490');
      const y = zone * 1e6 + c[0];
      pos.textContent = 'X ' + c[1].toFixed(2) + '  Y ' + y.toFixed(2) + '   经度 ' + ll[0].toFixed(6) + '°  纬度 ' + ll[1].toFixed(6) + '°';
    });

    // Measure tool: draw, then ask the server for the ellipsoidal length and area.
    let draw = null;
    let drawing = false;
    const result = wrap.querySelector('.measure-result');
    function showResult(text, error) {
      if (!result) return;
      result.textContent = text;
      result.className = 'measure-result' + (error ? ' error' : '');
    }
    function measure(kind) {
      if (draw) { map.removeInteraction(draw); draw = null; }
      if (kind === 'clear') { measureSource.clear(); showResult(''); drawing = false; return; }
      drawing = true;
      draw = new ol.interaction.Draw({ source: measureSource, type: kind });
      map.addInteraction(draw);
      showResult(kind === 'Polygon' ? '单击添加顶点，双击结束' : '单击添加点，双击结束');
      draw.on('drawend', function (e) {
        map.removeInteraction(draw); draw = null;
        // OpenLayers reports a single click 250 ms after it: keep the popup closed until then.
        setTimeout(function () { drawing = false; }, 500);
        const g = e.feature.getGeometry().clone().transform(code, 'EPSG:4490');
        const geometry = { type: g.getType(), coordinates: g.getCoordinates() };
        csrfToken().then(function (t) {
          return fetch('/api/measure', {
            method: 'POST', credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': t },
            body: JSON.stringify({ geometry: geometry }),
          });
        }).then(function (r) { return r.json(); }).then(function (j) {
          if (j.code) { showResult('量测失败：' + j.message, true); return; }
          if (j.kind === 'Polygon') {
            showResult('椭球面积 ' + j.area_m2.toFixed(2) + ' 平方米（' + j.area_km2.toFixed(4) + ' 平方千米），周长 ' + j.length_m.toFixed(2) + ' 米');
          } else {
            showResult('椭球面长度 ' + j.length_m.toFixed(2) + ' 米');
          }
        }).catch(function () { showResult('量测失败：无法连接服务器', true); });
      });
    }
    wrap.querySelectorAll('[data-measure]').forEach(function (b) {
      if (b === el) return;
      b.addEventListener('click', function () { measure(b.dataset.measure); });
    });

    const api = {
      map: map,
      view: view,
      code: code,
      format: fmt,
      // Replaces (or adds) the inline layer `id`.
      setLayer: function (id, name, geojson, styleName, fit) {
        if (byId[id]) { map.removeLayer(byId[id]); const old = sw && sw.querySelector('label[data-layer="' + id + '"]'); if (old) old.remove(); }
        const l = makeLayer({ id: id, name: name, geojson: geojson, style: styleName, visible: true, fit: false });
        byId[id] = l;
        map.getLayers().insertAt(map.getLayers().getLength() - 1, l);
        switcherEntry(l);
        if (fit) {
          const e = l.getSource().getExtent();
          if (e && isFinite(e[0])) view.fit(e, { padding: [40, 40, 40, 40], minResolution: 0.2 });
        }
        return l;
      },
    };
    el.minplan = api;
    el.dataset.ready = '1';
    el.dispatchEvent(new CustomEvent('minplan:map-ready', { bubbles: true, detail: { api: api } }));
    return api;
  }

  window.MinplanMap = { create: create, styles: STYLES };
  function init() {
    document.querySelectorAll('.map[data-layers]').forEach(create);
  }
  // Deferred page scripts run after this one and before DOMContentLoaded: initialising then
  // lets them listen for `minplan:map-ready` first.
  if (document.readyState === 'complete') init();
  else document.addEventListener('DOMContentLoaded', init);
})();
