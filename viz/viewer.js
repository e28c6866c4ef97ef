// Jiedao KG viewer. All user text reaches the page through textContent, never innerHTML:
// labels and quotes come from hand-written fact files and must never become markup.
(function () {
  "use strict";
  performance.mark("kg:start");
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  performance.mark("kg:parsed");
  const classes = data.classes;
  data.nodes.forEach((n) => {  // fields left out of the page when empty
    n.altLabels = n.altLabels || [];
    n.sds = n.sds || [];
    n.search = n.search || [n.label.toLowerCase()];
    n.metric = n.metric || null;
  });
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const edgeById = new Map(data.edges.map((e) => [e.id, e]));
  const incident = new Map(data.nodes.map((n) => [n.id, []]));
  data.edges.forEach((e) => {
    incident.get(e.from).push(e.id);
    if (e.to !== e.from) incident.get(e.to).push(e.id);
  });
  const big = data.nodes.length > 3000;
  // Captions of qualifiers and metric kinds come from the ontology (data.concepts).
  const QUALIFIER = data.concepts.qualifier;
  const KIND = data.concepts.kind;

  // ------------------------------------------------------------ small DOM helpers
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function button(text, cls, onClick, title) {
    const b = el("button", text, cls);
    b.type = "button";
    if (title) b.title = title;
    b.addEventListener("click", onClick);
    return b;
  }
  const SVG = "http://www.w3.org/2000/svg";
  function swatch(spec) {
    // The class's vis-network shape, drawn small for the legend.
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "-10 -10 20 20");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("aria-hidden", "true");
    const poly = (points) => {
      const p = document.createElementNS(SVG, "polygon");
      p.setAttribute("points", points.map((q) => q.join(",")).join(" "));
      return p;
    };
    const ring = (n, r, start) => Array.from({ length: n }, (_, i) => {
      const a = start + (2 * Math.PI * i) / n;
      return [(r * Math.cos(a)).toFixed(2), (r * Math.sin(a)).toFixed(2)];
    });
    let shape;
    switch (spec.shape) {
      case "square": shape = poly([[-7, -7], [7, -7], [7, 7], [-7, 7]]); break;
      case "diamond": shape = poly([[0, -9], [9, 0], [0, 9], [-9, 0]]); break;
      case "triangle": shape = poly([[0, -9], [8, 6], [-8, 6]]); break;
      case "triangleDown": shape = poly([[0, 9], [8, -6], [-8, -6]]); break;
      case "hexagon": shape = poly(ring(6, 8.5, 0)); break;
      case "star": shape = poly(ring(10, 9, -Math.PI / 2).map((q, i) =>
        (i % 2 ? [(q[0] * 0.45).toFixed(2), (q[1] * 0.45).toFixed(2)] : q))); break;
      default:
        shape = document.createElementNS(SVG, "circle");
        shape.setAttribute("r", "7");
    }
    shape.setAttribute("fill", spec.color);
    shape.setAttribute("stroke", "#33415c");
    shape.setAttribute("stroke-width", "1");
    svg.appendChild(shape);
    return svg;
  }
  function articleTitle(id, fallback) {
    return (data.articles[id] && data.articles[id].title) || fallback || "";
  }

  // ------------------------------------------------------------ the network
  // pyvis built the vis-network nodes and edges (id, label, x, y, shape, colour, size); we
  // add label fonts and visibility. Nodes of classes hidden by default (metrics) enter the
  // network only when first shown: half the work of opening a large map.
  const shownClasses = new Set(data.visibleByDefault);
  const short = (text) => (text.length <= 12 ? text : `${text.slice(0, 11)}…`);
  const isLandmark = (n) => Boolean(classes[n.type].screen);
  function makeNode(id, hidden) {
    const n = byId.get(id);
    const spec = classes[n.type];
    return {
      id, x: n.x, y: n.y, shape: n.shape, size: n.size,
      // landmarks' labels are drawn by the label layer below, at a legible size; on a big
      // map the others are added when zoomed in far enough to read them (labelViewport)
      label: isLandmark(n) || big ? undefined : short(n.label),
      color: { background: n.color, border: "#2d3748",
               highlight: { background: "#ffd23f", border: "#111827" },
               hover: { background: n.color, border: "#111827" } },
      borderWidth: 1,
      font: { size: spec.font, face: data.font, color: "#1f2933",
              strokeWidth: 4, strokeColor: "rgba(255,255,255,0.92)" },
      hidden,
    };
  }
  function makeEdge(id) {
    const e = edgeById.get(id);
    const post = e.key === "post";
    return {
      id, from: e.from, to: e.to, label: big ? undefined : e.label,
      arrows: { to: { enabled: true, scaleFactor: 0.6 } },
      font: { size: 13, face: data.font, color: post ? "#7f1d1d" : "#52606d",
              strokeWidth: 4, strokeColor: "#ffffff", align: "horizontal" },
      color: { color: post ? "#c05656" : "#a3adb8", highlight: "#111827", hover: "#3e4c59" },
      width: post ? 2.4 : (e.key === "leads" ? 2 : 1.1),
    };
  }
  const present = new Set();
  const edgesPresent = new Set();
  const initialNodes = [];
  data.nodes.forEach((n) => {
    if (shownClasses.has(n.type)) { present.add(n.id); initialNodes.push(makeNode(n.id, false)); }
  });
  const initialEdges = [];
  data.edges.forEach((e) => {
    if (present.has(e.from) && present.has(e.to)) {
      edgesPresent.add(e.id);
      initialEdges.push(makeEdge(e.id));
    }
  });
  const visNodes = new vis.DataSet(initialNodes);
  const visEdges = new vis.DataSet(initialEdges);
  function materialise(ids) {
    // Bring nodes (and their edges to nodes already there) into the network, hidden.
    const nodes = [];
    ids.forEach((id) => {
      if (!present.has(id)) { present.add(id); nodes.push(makeNode(id, true)); }
    });
    if (!nodes.length) return;
    visNodes.add(nodes);
    const edges = [];
    nodes.forEach((v) => incident.get(v.id).forEach((eid) => {
      const e = edgeById.get(eid);
      if (!edgesPresent.has(eid) && present.has(e.from) && present.has(e.to)) {
        edgesPresent.add(eid);
        edges.push(makeEdge(eid));
      }
    }));
    if (edges.length) visEdges.add(edges);
  }
  performance.mark("kg:datasets");
  const container = document.getElementById("network");
  const options = Object.assign({}, data.options, {
    nodes: { scaling: { label: { drawThreshold: 7, maxVisible: 40 } } },
    physics: { enabled: false },
    layout: { improvedLayout: false },
    interaction: { hover: !big, tooltipDelay: 200, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   multiselect: false, navigationButtons: false, keyboard: false },
    edges: { smooth: false },
  });
  delete options.configure;
  const network = new vis.Network(container, { nodes: visNodes, edges: visEdges }, options);
  window.kgNetwork = network;  // for tests and the curious
  performance.mark("kg:network");
  const isShown = (id) => present.has(id) && !visNodes.get(id).hidden;
  window.kgShown = isShown;

  // Landmarks (areas, officials) are named at a legible size even when the whole map is
  // shown, like towns on a printed map; other labels appear as one zooms in. Drawn on the
  // canvas (text, never markup), so zooming costs no data updates.
  // Drawn in order of rank (provinces first, officials last); a label that would overlap
  // one already drawn is left out until the zoom makes room, as map labels are.
  const RANK = { Province: 0, City: 1, District: 2, Subdistrict: 3 };
  const landmarks = data.nodes.filter(isLandmark).map((n) => ({
    id: n.id, text: short(n.label), spec: classes[n.type], unit: 0,
    rank: RANK[n.type] === undefined ? 9 : RANK[n.type] }))
    .sort((p, q) => p.rank - q.rank);
  network.on("afterDrawing", (ctx) => {
    const scale = network.getScale();
    const w = container.clientWidth, h = container.clientHeight;
    const a = network.DOMtoCanvas({ x: 0, y: 0 });
    const selected = new Set(network.getSelectedNodes());
    const nodes = network.body.nodes;
    const cell = 80, grid = new Map();
    const fits = (r) => {
      const keys = [];
      for (let gx = Math.floor(r.x0 / cell); gx <= Math.floor(r.x1 / cell); gx++) {
        for (let gy = Math.floor(r.y0 / cell); gy <= Math.floor(r.y1 / cell); gy++) {
          const key = `${gx},${gy}`;
          for (const o of grid.get(key) || []) {
            if (r.x0 < o.x1 && o.x0 < r.x1 && r.y0 < o.y1 && o.y0 < r.y1) return false;
          }
          keys.push(key);
        }
      }
      keys.forEach((key) => { if (!grid.has(key)) grid.set(key, []); grid.get(key).push(r); });
      return true;
    };
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.fillStyle = "#1f2933";
    ctx.strokeStyle = "rgba(255,255,255,0.92)";
    const order = selected.size
      ? [...landmarks.filter((m) => selected.has(m.id)), ...landmarks] : landmarks;
    const done = new Set();
    order.forEach((m) => {
      if (done.has(m.id)) return;
      done.add(m.id);
      const node = nodes[m.id];
      if (!node || node.options.hidden) return;
      const sx = (node.x - a.x) * scale, sy = (node.y - a.y) * scale;
      if (sx < -300 || sx > w + 300 || sy < -100 || sy > h + 100) return;
      const size = Math.max(m.spec.font, m.spec.screen / scale);
      const bold = selected.has(m.id) ? "bold " : "";
      if (!m.unit) {
        ctx.font = `100px ${data.font}`;
        m.unit = ctx.measureText(m.text).width / 100;
      }
      const top = sy + (m.spec.size + 3 / scale) * scale;
      const half = (m.unit * size * scale) / 2 + 2;
      const box = { x0: sx - half, x1: sx + half, y0: top, y1: top + size * scale * 1.25 };
      if (!fits(box) && !bold) return;
      ctx.font = `${bold}${size}px ${data.font}`;
      ctx.lineWidth = Math.max(4, 4 / scale);
      const y = node.y + m.spec.size + 3 / scale;
      ctx.strokeText(m.text, node.x, y);
      ctx.fillText(m.text, node.x, y);
    });
    ctx.restore();
  });
  // On a big map, labels cost half the opening time yet cannot be read until one zooms
  // in: they are given to the nodes and edges in view once the zoom makes them legible.
  const labelled = new Set();
  const edgeLabelled = new Set();
  let labelPending = false;
  function labelViewport() {
    labelPending = false;
    const scale = network.getScale();
    if (scale < 0.4) return;
    const a = network.DOMtoCanvas({ x: 0, y: 0 });
    const b = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    const m = 150 / scale;
    const inView = (p) => p.x > a.x - m && p.x < b.x + m && p.y > a.y - m && p.y < b.y + m;
    const nodes = [], edges = [];
    present.forEach((id) => {
      const node = network.body.nodes[id];
      if (labelled.has(id) || isLandmark(byId.get(id)) || !node || !inView(node)) return;
      labelled.add(id);
      nodes.push({ id, label: short(byId.get(id).label) });
    });
    edgesPresent.forEach((id) => {
      if (edgeLabelled.has(id)) return;
      const e = edgeById.get(id), f = network.body.nodes[e.from], t = network.body.nodes[e.to];
      if (!f || !t || !inView({ x: (f.x + t.x) / 2, y: (f.y + t.y) / 2 })) return;
      edgeLabelled.add(id);
      edges.push({ id, label: e.label });
    });
    if (nodes.length) visNodes.update(nodes);
    if (edges.length) visEdges.update(edges);
  }
  if (big) {
    network.on("afterDrawing", () => {
      if (labelPending || network.getScale() < 0.4) return;
      labelPending = true;
      requestAnimationFrame(labelViewport);
    });
  }
  network.once("afterDrawing", () => {
    window.kgReadyAt = performance.now();  // ms from navigation start: for the benchmark
    performance.mark("kg:drawn");
    window.kgReady = true;
    updateStatus();
  });

  // Tooltips: our own element, filled with textContent (vis-network would use innerHTML
  // for a string title containing "href").
  const tip = el("div", null, "tip");
  tip.id = "tip";
  tip.hidden = true;
  container.appendChild(tip);
  let tipTimer = null;
  function hideTip() { clearTimeout(tipTimer); tip.hidden = true; }
  container.addEventListener("mousemove", (ev) => {
    hideTip();
    const r = container.getBoundingClientRect();
    const at = { x: ev.clientX - r.left, y: ev.clientY - r.top };
    tipTimer = setTimeout(() => {
      const nid = network.getNodeAt(at);
      const eid = nid === undefined ? network.getEdgeAt(at) : undefined;
      let lines;
      if (nid !== undefined) {
        const n = byId.get(nid);
        lines = [n.label, classes[n.type].name, n.metric ? n.metric.text : "",
                 n.altLabels.join("、")];
      } else if (eid !== undefined) {
        const e = edgeById.get(eid);
        lines = [`${byId.get(e.from).label} → ${e.label} → ${byId.get(e.to).label}`,
                 (e.evidence[0] || {}).quote];
      } else return;
      tip.replaceChildren(...lines.filter((l) => l)
        .map((line, i) => el(i ? "div" : "strong", line)));
      tip.style.left = `${Math.min(at.x + 14, Math.max(0, container.clientWidth - 320))}px`;
      tip.style.top = `${at.y + 16}px`;
      tip.hidden = false;
    }, 200);
  });
  ["mouseleave", "mousedown", "wheel"].forEach((t) => container.addEventListener(t, hideTip));

  function visibleIds() {
    return visNodes.getIds({ filter: (n) => !n.hidden });
  }
  function fitVisible() {
    const ids = visibleIds();
    network.fit({ nodes: ids.length ? ids : undefined, animation: false });
    if (network.getScale() > 1.2) network.moveTo({ scale: 1.2, animation: false });
  }
  fitVisible();

  // ------------------------------------------------------------ legend and filters
  const legend = document.getElementById("legend");
  legend.appendChild(el("h2", "图例 · 类别筛选"));
  legend.appendChild(el("p", "Legend · tick to show a class", "sub"));
  Object.entries(classes).forEach(([type, spec]) => {
    if (!spec.count) return;
    const label = el("label", null, "class");
    const box = el("input");
    box.type = "checkbox";
    box.checked = shownClasses.has(type);
    box.dataset.type = type;
    box.addEventListener("change", () => {
      if (box.checked) shownClasses.add(type); else shownClasses.delete(type);
      pinned.forEach((id) => { if (byId.get(id).type === type) pinned.delete(id); });
      applyFilters(true);
    });
    label.append(box, swatch(spec), el("span", spec.name, "name"), el("span", spec.count, "count"));
    legend.appendChild(label);
  });
  const edgeKey = el("div", null, "edge-key");
  const postLine = el("span", null, "line post");
  const plainLine = el("span", null, "line");
  edgeKey.append(el("h2", "连线 · Edges"),
    el("div", null, "row"), el("div", null, "row"));
  edgeKey.children[1].append(postLine, el("span", "任职（党工委书记…）· holds post"));
  edgeKey.children[2].append(plainLine, el("span", "其他关系，标签为关系名 · other relations"));
  legend.appendChild(edgeKey);
  legend.appendChild(el("p", "单击：查看证据 · 双击：聚焦邻居 · 滚轮：缩放。Click: evidence · " +
    "double-click: neighbourhood · wheel: zoom.", "sub help"));

  function fillSelect(id, options) {
    const select = document.getElementById(id);
    options.forEach(([value, text]) => {
      const option = el("option", text);
      option.value = value;
      select.appendChild(option);
    });
    select.addEventListener("change", () => { focusSet = null; applyFilters(true); });
    return select;
  }
  const sdSelect = fillSelect("subdistrict", data.overview.map((s) => [String(s.id), s.label]));
  const articleSelect = fillSelect("article", Object.entries(data.articles)
    .map(([id, a]) => [id, `${id} · ${a.title}`]));
  if (data.overview.length < 2) sdSelect.closest("label").hidden = true;

  let focusSet = null;
  // Nodes the user asked for by name (search, a link in the panel) stay shown even when
  // their class is not: finding one metric should not flood the map with all of them.
  const pinned = new Set();
  function passes(n) {
    if (focusSet) return focusSet.has(n.id);
    if (pinned.has(n.id)) return true;
    if (!shownClasses.has(n.type)) return false;
    const sd = sdSelect.value;
    if (sd && n.id !== Number(sd) && !n.sds.includes(Number(sd))) return false;
    const article = articleSelect.value;
    if (article && !n.articles.includes(article)) return false;
    return true;
  }
  function applyFilters(fit) {
    const wanted = [];
    const updates = [];
    data.nodes.forEach((n) => {
      const hidden = !passes(n);
      if (!present.has(n.id)) { if (!hidden) wanted.push(n.id); return; }
      if (visNodes.get(n.id).hidden !== hidden) updates.push({ id: n.id, hidden });
    });
    if (updates.length) visNodes.update(updates);
    if (wanted.length) {
      materialise(wanted);
      visNodes.update(wanted.map((id) => ({ id, hidden: false })));
    }
    if (fit) fitVisible();
    updateStatus();
  }
  function updateStatus() {
    const shown = visibleIds().length;
    const parts = [`显示 ${shown} / ${data.nodes.length} 个节点 · ${data.edges.length} 条关系 · ` +
      `${Object.keys(data.articles).length} 个来源 · sources`];
    if (focusSet) parts.push(`聚焦 focus: ${byId.get(focusSet.origin).label}`);
    if (sdSelect.value) parts.push(`街道: ${byId.get(Number(sdSelect.value)).label}`);
    if (articleSelect.value) parts.push(`文章: ${articleSelect.value}`);
    document.getElementById("status").textContent = parts.join(" · ");
  }

  // ------------------------------------------------------------ selecting a node
  function reveal(n) {
    // Make sure a node the user asked for is on the map, whatever the filters say.
    if (passes(n)) return;
    if (focusSet && !focusSet.has(n.id)) focusSet = null;
    if (!passes(n)) pinned.add(n.id);
    applyFilters(false);
  }
  function select(id, move) {
    const n = byId.get(id);
    reveal(n);
    network.selectNodes([id]);
    if (move) {
      network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    }
    showNode(n);
  }
  function showEdgeById(id) {
    const e = edgeById.get(id);
    reveal(byId.get(e.from));
    reveal(byId.get(e.to));
    network.selectEdges([id]);
    showEdge(e);
  }

  // ------------------------------------------------------------ search
  const search = document.getElementById("search");
  const results = document.getElementById("results");
  function matches(q) {
    const hits = [];
    data.nodes.forEach((n) => {
      let best = 9;
      n.search.forEach((s) => {
        if (s === q) best = Math.min(best, 0);
        else if (s.startsWith(q)) best = Math.min(best, 1);
        else if (s.includes(q)) best = Math.min(best, 2);
      });
      if (best < 9) hits.push([best, Object.keys(classes).indexOf(n.type), n.label.length, n]);
    });
    hits.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] ||
      (a[3].label < b[3].label ? -1 : a[3].label > b[3].label ? 1 : 0));
    return hits.map((h) => h[3]);
  }
  let searchPin = null;
  function closeResults() { results.hidden = true; results.replaceChildren(); }
  search.addEventListener("input", () => {
    const q = search.value.trim().toLowerCase();
    if (!q) { closeResults(); return; }
    const found = matches(q);
    results.replaceChildren();
    if (!found.length) {
      results.appendChild(el("li", "无结果 · no match", "none"));
      results.hidden = false;
      return;
    }
    found.slice(0, 12).forEach((n) => {
      const li = el("li");
      li.setAttribute("role", "option");
      const b = button("", "hit", () => { select(n.id, true); closeResults(); });
      const sw = swatch(classes[n.type]);
      b.append(sw, el("span", n.label, "name"), el("span", classes[n.type].name, "kind"));
      li.appendChild(b);
      results.appendChild(li);
    });
    if (found.length > 12) results.appendChild(el("li", `… 共 ${found.length} 个 · ${found.length} matches`, "none"));
    results.hidden = false;
    // Find as you type: the best match is selected at once; the previous best match, if
    // it was only shown for the search, goes back to its filters.
    if (searchPin !== null && searchPin !== found[0].id && pinned.delete(searchPin)) {
      applyFilters(false);
    }
    if (searchPin !== found[0].id) searchPin = pinned.has(found[0].id) ? null : found[0].id;
    select(found[0].id, true);
    if (!pinned.has(searchPin)) searchPin = null;
  });
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") { closeResults(); search.blur(); }
    if (ev.key === "Enter") closeResults();
  });
  document.addEventListener("click", (ev) => {
    if (!ev.target.closest(".search")) closeResults();
  });

  // ------------------------------------------------------------ focus and reset
  function focusOn(id) {
    // neighbours from our own index: metrics may not be in the network yet
    focusSet = new Set([id]);
    incident.get(id).forEach((eid) => {
      const e = edgeById.get(eid);
      focusSet.add(e.from);
      focusSet.add(e.to);
    });
    focusSet.origin = id;
    applyFilters(true);
    network.selectNodes([id]);
    showNode(byId.get(id));
  }
  document.getElementById("focus").addEventListener("click", () => {
    const selected = network.getSelectedNodes();
    if (selected.length) focusOn(selected[0]);
    else document.getElementById("status").textContent =
      "先选择一个节点，再点“聚焦”· select a node first, then focus";
  });
  network.on("doubleClick", (params) => { if (params.nodes.length) focusOn(params.nodes[0]); });
  function reset() {
    focusSet = null;
    pinned.clear();
    searchPin = null;
    search.value = "";
    closeResults();
    sdSelect.value = "";
    articleSelect.value = "";
    shownClasses.clear();
    data.visibleByDefault.forEach((t) => shownClasses.add(t));
    legend.querySelectorAll("input[type=checkbox]").forEach((box) => {
      box.checked = shownClasses.has(box.dataset.type);
    });
    network.unselectAll();
    applyFilters(true);
    showOverview();
  }
  document.getElementById("reset").addEventListener("click", reset);

  // ------------------------------------------------------------ the side panel
  const panel = document.getElementById("panel");
  function evidenceList(evidence) {
    const box = el("section", null, "evidence");
    box.appendChild(el("h3", `证据 · Evidence (${evidence.length})`));
    if (!evidence.length) box.appendChild(el("p", "无引文 · no quote recorded", "hint"));
    evidence.forEach((e) => {
      const item = el("figure");
      item.appendChild(el("blockquote", e.quote));
      const cap = el("figcaption");
      const where = Number.isInteger(e.start) && Number.isInteger(e.end)
        ? ` · 字符 ${e.start}–${e.end}` : "";
      cap.append(el("cite", `《${articleTitle(e.article, e.title)}》`),
        el("span", ` 文章 ${e.article}${where}`));
      const open = openInArticle(e);
      if (open) cap.append(" ", open);
      item.appendChild(cap);
      box.appendChild(item);
    });
    return box;
  }
  // ------------------------------------------------------------ open in article
  // The quote in its article: in kg serve a link to its reader; in the offline file an
  // overlay over the map with the embedded text, the quote marked and scrolled to.
  const texts = data.texts || {};
  const reader = document.getElementById("reader");
  if (data.reader) {  // in kg serve: the way back to its other pages
    const back = el("a", "阅读 · Reader", "app-link");
    back.href = data.reader;
    document.querySelector("header h1").after(back);
  }
  function openInArticle(e) {
    if (!Number.isInteger(e.start) || !Number.isInteger(e.end)) return null;
    const title = "在文中打开，显示上下文 · open in article, with the text around the quote";
    if (data.reader) {
      const link = el("a", "在文中打开 · open in article", "open");
      const query = new URLSearchParams({ article: e.article, start: e.start, end: e.end });
      link.href = `${data.reader}?${query}`;
      link.title = title;
      return link;
    }
    if (!texts[e.article] || !reader) return null;
    return button("在文中打开 · open in article", "open", () => showArticle(e), title);
  }
  function showArticle(e) {
    const chars = Array.from(texts[e.article]);  // offsets count code points
    const mark = el("mark", chars.slice(e.start, e.end).join(""));
    const body = el("div", null, "text");
    body.append(chars.slice(0, e.start).join(""), mark, chars.slice(e.end).join(""));
    const head = el("div", null, "head");
    head.append(el("h2", `《${articleTitle(e.article)}》`),
      el("span", ` 文章 ${e.article} · 字符 ${e.start}–${e.end}`, "where"),
      button("关闭 · close", "close", closeArticle, "回到地图 · back to the map (Esc)"));
    reader.replaceChildren(head, body);
    reader.hidden = false;
    mark.scrollIntoView({ block: "center" });
  }
  function closeArticle() { reader.hidden = true; reader.replaceChildren(); }
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && reader && !reader.hidden) closeArticle();
  });
  window.kgOpenArticle = showArticle;  // for tests

  function definitions(rows) {
    const dl = el("dl");
    rows.filter(([, v]) => v !== null && v !== undefined && v !== "").forEach(([k, v, cls]) => {
      dl.append(el("dt", k), el("dd", v, cls));
    });
    return dl;
  }
  function heading(text, type) {
    const h = el("h2", text);
    const badge = el("span", classes[type].name, "type");
    badge.style.background = classes[type].color;
    h.appendChild(badge);
    return h;
  }
  function connections(n) {
    const ids = incident.get(n.id);
    const box = el("section", null, "links");
    box.appendChild(el("h3", `关系 · Connections (${ids.length})`));
    const list = el("ul");
    ids.slice(0, 80).forEach((eid) => {
      const e = edgeById.get(eid);
      const out = e.from === n.id;
      const other = byId.get(out ? e.to : e.from);
      const li = el("li");
      li.append(el("span", out ? "→" : "←", "dir"),
        button(e.label, "rel", () => showEdgeById(e.id), "查看这条关系的证据 · evidence of this relation"),
        button(other.label, "other", () => select(other.id, true), classes[other.type].name));
      list.appendChild(li);
    });
    box.appendChild(list);
    if (ids.length > 80) box.appendChild(el("p", `… 另有 ${ids.length - 80} 条 · more`, "hint"));
    return box;
  }
  function showNode(n) {
    const rows = [];
    if (n.metric) {
      const m = n.metric;
      rows.push(["指标 · indicator", m.indicator]);
      rows.push(m.value === null
        ? ["数值 · value", "数值缺失（原文未给出数字）· value missing in source", "missing"]
        : ["数值 · value", `${m.value}${m.scale || ""}${m.unit || ""}`, "value"]);
      rows.push(["数量级 · scale", m.scale], ["单位 · unit", m.unit],
        ["限定 · qualifier", m.qualifier && (QUALIFIER[m.qualifier] || m.qualifier)],
        ["类型 · kind", m.kind && (KIND[m.kind] || m.kind)],
        ["时期 · period", m.period]);
    }
    rows.push(["其他名称 · also", n.altLabels.join("、")]);
    const sds = n.sds.filter((s) => s !== n.id).map((s) => byId.get(s).label);
    rows.push(["街道 · subdistrict", sds.join("、")]);
    rows.push(["文章 · articles", n.articles.map((a) => `${a}《${articleTitle(a)}》`).join("；")]);
    rows.push(["IRI", n.iri, "iri"]);
    panel.replaceChildren(heading(n.label, n.type), definitions(rows), evidenceList(n.evidence),
      connections(n));
    panel.scrollTop = 0;
  }
  function showEdge(e) {
    const from = byId.get(e.from), to = byId.get(e.to);
    const title = el("h2");
    title.append(button(from.label, "other", () => select(from.id, true)),
      el("span", ` → ${e.label} → `, "rel-text"), button(to.label, "other", () => select(to.id, true)));
    panel.replaceChildren(title, definitions([["关系 · relation", data.relations[e.key] || e.key, "iri"],
      ["岗位 · post", e.post]]), evidenceList(e.evidence));
    panel.scrollTop = 0;
  }
  function showOverview() {
    const box = el("section", null, "overview");
    box.appendChild(el("h2", "概览 · 谁在哪里推动了什么"));
    box.appendChild(el("p", "点击节点或连线查看来源句子；双击节点只看它的邻居。" +
      "Click a node or an edge to read the sentence it comes from.", "hint"));
    data.overview.slice(0, 200).forEach((s) => {
      const card = el("div", null, "card");
      const head = el("div", null, "card-head");
      head.append(button(s.label, "sd", () => {
        focusSet = null;
        sdSelect.value = String(s.id);
        applyFilters(true);
        select(s.id, false);
      }, "只看这个街道 · show this subdistrict"), el("span", s.areas.join(" · "), "areas"));
      card.appendChild(head);
      if (s.people.length) {
        const ul = el("ul", null, "people");
        s.people.forEach((p) => {
          const li = el("li");
          li.append(button(p.label, "other", () => select(p.id, true)), el("span", p.role, "role"));
          ul.appendChild(li);
        });
        card.appendChild(ul);
      }
      const counts = Object.entries(s.counts).map(([t, c]) => `${classes[t].name.split(" ")[0]} ${c}`);
      if (counts.length) card.appendChild(el("p", counts.join(" · "), "counts"));
      box.appendChild(card);
    });
    if (data.overview.length > 200) {
      box.appendChild(el("p", `… 另有 ${data.overview.length - 200} 个街道，请用上方筛选。`, "hint"));
    }
    panel.replaceChildren(box);
  }
  showOverview();

  network.on("click", (params) => {
    if (params.nodes.length) showNode(byId.get(params.nodes[0]));
    else if (params.edges.length) showEdge(edgeById.get(params.edges[0]));
    else showOverview();
  });
})();
