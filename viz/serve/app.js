// kg serve: reader, review and questions. Every text from articles and fact files reaches
// the page through textContent (el() below), never innerHTML: a quote or a label is data.
(function () {
  "use strict";
  const CSRF = document.querySelector('meta[name="kg-csrf"]').content;
  const main = document.getElementById("main");
  const statusLine = document.getElementById("status");
  const params = new URLSearchParams(location.search);
  let schema = null;

  // ------------------------------------------------------------ helpers
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
  function link(text, href, cls) {
    const a = el("a", text, cls);
    a.href = href;
    return a;
  }
  function say(text, kind) {
    statusLine.textContent = text || "";
    statusLine.className = kind || "";
  }
  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }
  async function api(method, url, body) {
    const options = { method, headers: {}, credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-KG-CSRF"] = CSRF;
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      throw new ApiError(response.status, (data && data.error) || `HTTP ${response.status}`);
    }
    return data;
  }
  function typeName(type) {
    const c = schema && schema.classes[type];
    return c ? `${c.labels.zh || ""} ${type}`.trim() : type;
  }
  function typeColor(type) {
    const c = schema && schema.classes[type];
    return c ? c.color : "#8c8c8c";
  }
  function badge(type) {
    const b = el("span", typeName(type), "type");
    b.style.background = typeColor(type);
    return b;
  }
  function propLabel(key) {
    const p = schema.properties[key];
    return p ? `${p.labels.zh || key} · ${key}` : key;
  }

  // ------------------------------------------------------------ article text with spans
  // Offsets are Unicode code points of the NFC text (as the builder counts them), so the
  // text is split with Array.from, never by UTF-16 index.
  function renderText(box, text, spans, options) {
    const chars = Array.from(text);
    const cuts = new Set([0, chars.length]);
    spans.forEach((s) => { cuts.add(s.start); cuts.add(s.end); });
    const marks = options.marks || [];
    marks.forEach((m) => cuts.add(m.end));
    const points = Array.from(cuts).filter((c) => c >= 0 && c <= chars.length).sort((a, b) => a - b);
    const markAt = new Map();
    marks.forEach((m) => { if (!markAt.has(m.end)) markAt.set(m.end, []); markAt.get(m.end).push(m); });
    box.replaceChildren();
    const segments = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const seg = el("span", chars.slice(a, b).join(""), "seg");
      seg.dataset.start = a;
      seg.dataset.end = b;
      const covering = spans.filter((s) => s.start <= a && b <= s.end);
      if (covering.length) {
        covering.sort((x, y) => (x.end - x.start) - (y.end - y.start));
        seg.classList.add("hl");
        if (covering.length > 1) seg.classList.add("deep");
        options.decorate(seg, covering);
        seg.addEventListener("click", (ev) => {
          if (!window.getSelection().isCollapsed) return;  // a selection, not a click
          ev.stopPropagation();
          options.onClick(covering, seg);
        });
      }
      box.appendChild(seg);
      segments.push(seg);
      (markAt.get(b) || []).forEach((m) => {
        const tag = el("span", m.label, "simp");
        tag.title = `简体 · simplified label of ${m.original}`;
        tag.setAttribute("aria-label", `simplified: ${m.label}`);
        box.appendChild(tag);
      });
    }
    return segments;
  }
  function segmentsIn(box, start, end) {
    return Array.from(box.querySelectorAll(".seg")).filter(
      (s) => Number(s.dataset.start) < end && Number(s.dataset.end) > start);
  }
  function pointOffset(box, node, offset) {
    // A selection point as a code-point offset in the article text.
    const parent = node.nodeType === Node.TEXT_NODE ? node.parentElement : null;
    if (parent && parent.classList.contains("seg") && box.contains(parent)) {
      return Number(parent.dataset.start) + Array.from(node.data.slice(0, offset)).length;
    }
    const range = document.createRange();
    range.setStart(node, offset);
    for (const seg of box.querySelectorAll(".seg")) {
      if (range.comparePoint(seg, 0) >= 0) return Number(seg.dataset.start);
    }
    return Array.from(box.textContent).length;
  }
  function selectionIn(box) {
    const sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!box.contains(range.commonAncestorContainer)) return null;
    const start = pointOffset(box, range.startContainer, range.startOffset);
    const end = pointOffset(box, range.endContainer, range.endOffset);
    return end > start ? { start, end } : null;
  }

  // ------------------------------------------------------------ reader
  async function reader() {
    const articles = await api("GET", "/api/articles");
    let file = params.get("file");
    const wanted = params.get("article");
    if (!file && wanted) {
      const found = articles.find((a) => a.id === wanted);
      file = found ? found.file : null;
      if (!found) say(`没有文章 ${wanted} · no article ${wanted}`, "error");
    }
    const layout = el("div", null, "reader");
    const list = el("nav", null, "articles");
    list.setAttribute("aria-label", "articles");
    list.appendChild(el("h2", "文章 · Articles"));
    articles.forEach((a) => {
      const item = link(a.title ? `${a.id} · ${a.title}` : a.file, `/reader?file=${encodeURIComponent(a.file)}`);
      if (a.file === file) item.classList.add("current");
      if (!a.facts) item.appendChild(el("span", " 未标注 · no facts", "hint"));
      list.appendChild(item);
    });
    const textBox = el("article", null, "text");
    const panel = el("aside", null, "panel");
    panel.setAttribute("aria-live", "polite");
    layout.append(list, textBox, panel);
    main.replaceChildren(layout);
    if (!file) {
      textBox.appendChild(el("p", "选择一篇文章，查看其中每条证据。Choose an article to read its evidence.", "hint"));
      return;
    }
    const data = await api("GET", `/api/article?file=${encodeURIComponent(file)}`);
    const head = el("header", null, "article-head");
    head.append(el("h2", data.article.title || data.article.file),
      el("p", `${data.article.file} · ${data.spans.length} 处证据 · evidence spans` +
        (data.article.facts ? ` · ${data.article.facts}` : " · 尚无事实文件 · no fact file"), "hint"));
    if (data.article.id) {
      head.appendChild(link("审阅事实 · review facts", `/review?id=${encodeURIComponent(data.article.id)}`, "action"));
    } else {
      head.appendChild(link("起草 · draft facts", `/review?draft=${encodeURIComponent(file)}`, "action"));
    }
    head.appendChild(legend(data.spans));
    const body = el("div", null, "body");
    textBox.append(head, body);
    renderText(body, data.text, data.spans, {
      marks: data.marks,
      decorate: (seg, covering) => {
        seg.style.setProperty("--c", covering[0].kind === "fact" ? "#8c6d31" : typeColor(covering[0].type));
        seg.title = covering.map((s) => s.label || "关系 · relation").join(" · ");
      },
      onClick: (covering) => showFacts(panel, covering, data),
    });
    panel.appendChild(el("p", "点击高亮的文字，查看它支持的事实。Click highlighted text to see the facts it supports.", "hint"));
    const start = Number(params.get("start")), end = Number(params.get("end"));
    if (params.has("start") && end > start) {
      const target = segmentsIn(body, start, end);
      target.forEach((s) => s.classList.add("target"));
      if (target.length) {
        target[0].scrollIntoView({ block: "center" });
        const covering = data.spans.filter((s) => s.start <= start && end <= s.end);
        if (covering.length) showFacts(panel, covering.sort((x, y) => (x.end - x.start) - (y.end - y.start)), data);
      }
    }
  }
  function legend(spans) {
    const box = el("p", null, "legend");
    const types = Array.from(new Set(spans.map((s) => s.type)));
    types.forEach((t) => {
      const key = el("span", t === "fact" ? "关系 · relation" : typeName(t), "key");
      key.style.setProperty("--c", t === "fact" ? "#8c6d31" : typeColor(t));
      box.appendChild(key);
    });
    return box;
  }
  function showFacts(panel, covering, data) {
    const chars = Array.from(data.text);
    panel.replaceChildren(el("h2", `证据 · Evidence (${covering.length})`));
    covering.forEach((s) => {
      const card = el("section", null, "card");
      const title = el("h3");
      if (s.kind === "entity") title.append(el("span", s.label), badge(s.type), el("code", s.id, "id"));
      else title.append(el("span", "关系 · relation"));
      card.appendChild(title);
      card.appendChild(el("blockquote", chars.slice(s.start, s.end).join("")));
      card.appendChild(el("p", `字符 ${s.start}–${s.end}`, "hint"));
      if (s.facts.length) {
        const ul = el("ul", null, "facts");
        s.facts.forEach((f) => {
          const li = el("li");
          li.append(el("span", f.subject, "subject"), el("span", ` —${f.predicateLabel}→ `, "predicate"),
            el("span", f.object, "object"));
          ul.appendChild(li);
        });
        card.appendChild(ul);
      } else {
        card.appendChild(el("p", "这句话命名了该实体。This quote names the entity.", "hint"));
      }
      panel.appendChild(card);
    });
  }

  // ------------------------------------------------------------ review
  // One item per entity or fact. status: proposed (from a draft), kept (in the file),
  // accepted, rejected, new (added here). What is checked and saved is every item not
  // rejected, without the references to rejected entities.
  const review = {
    id: null, file: null, text: "", base: null, sha: null, article: {}, items: [],
    current: null, issues: [], spans: {}, sent: null, seq: 0, valid: false, dirty: false,
  };
  let uid = 0;

  async function reviewStart() {
    const articles = await api("GET", "/api/articles");
    const box = el("section", null, "start");
    box.appendChild(el("h2", "审阅 · Review a fact file"));
    const table = el("table", null, "list");
    articles.forEach((a) => {
      const row = el("tr");
      row.appendChild(el("td", a.file));
      row.appendChild(el("td", a.title || ""));
      const action = el("td");
      if (a.id) action.appendChild(link(`编辑 ${a.facts} · edit`, `/review?id=${encodeURIComponent(a.id)}`));
      else action.appendChild(link("用 kg extract 起草 · draft", `/review?draft=${encodeURIComponent(a.file)}`));
      row.appendChild(action);
      table.appendChild(row);
    });
    box.appendChild(table);
    const form = el("section", null, "new-article");
    form.appendChild(el("h3", "新文章 · New article: paste or upload its text"));
    const name = el("input");
    name.id = "new-name";
    name.placeholder = "文件名 · file name, e.g. 006_example.txt";
    name.setAttribute("aria-label", "file name of the new article");
    const upload = el("input");
    upload.type = "file";
    upload.accept = ".txt,text/plain";
    upload.id = "new-file";
    upload.setAttribute("aria-label", "upload a text file");
    const area = el("textarea");
    area.id = "new-text";
    area.rows = 10;
    area.placeholder = "粘贴文章全文 · paste the article text";
    area.setAttribute("aria-label", "article text");
    upload.addEventListener("change", async () => {
      const f = upload.files[0];
      if (!f) return;
      area.value = await f.text();
      if (!name.value) name.value = f.name;
    });
    const go = button("保存文章并起草 · add article and draft", "primary", async () => {
      try {
        const draft = await api("POST", "/api/articles", { name: name.value.trim(), text: area.value });
        history.pushState(null, "", `/review?draft=${encodeURIComponent(draft.file)}`);
        openDocument(draft);
      } catch (e) { say(e.message, "error"); }
    });
    go.id = "new-go";
    form.append(name, upload, area, go);
    box.appendChild(form);
    main.replaceChildren(box);
  }

  async function reviewView() {
    try {
      if (params.get("id")) openDocument(await api("GET", `/api/open?id=${encodeURIComponent(params.get("id"))}`));
      else if (params.get("draft")) {
        say("kg extract 正在起草… · drafting…");
        openDocument(await api("POST", "/api/draft", { file: params.get("draft") }));
      } else await reviewStart();
    } catch (e) {
      say(e.message, "error");
      if (!main.children.length) await reviewStart();
    }
  }

  function openDocument(doc) {
    const fromDraft = doc.sha === null;
    Object.assign(review, {
      id: doc.id, file: doc.file, text: doc.text, base: doc.base, sha: doc.sha,
      article: doc.content.article.fields, items: [], current: null, issues: [], spans: {},
      valid: false, dirty: false,
    });
    ["entities", "facts"].forEach((section) => {
      doc.content[section].forEach((item) => {
        review.items.push({
          key: ++uid, section, ref: item.ref, fields: item.fields,
          status: fromDraft ? "proposed" : "kept", linked: null,
        });
      });
    });
    say(fromDraft ? `草稿 · draft of ${doc.file}: ${review.items.length} proposals` +
      (doc.exists ? ` — 注意 data/facts/${doc.id}.yaml 已存在 · a fact file exists already` : "")
      : `打开 · opened ${doc.id}.yaml`, doc.exists ? "error" : "");
    buildReviewPage();
    check();
  }

  let ui = {};
  function buildReviewPage() {
    const layout = el("div", null, "review");
    const left = el("section", null, "text-side");
    const head = el("header", null, "article-head");
    head.append(el("h2", review.article.title || review.file),
      el("p", `${review.file} → data/facts/${review.id}.yaml`, "hint"));
    const textBox = el("div", null, "body");
    textBox.id = "review-text";
    const popup = el("div", null, "popup");
    popup.id = "selection-tools";
    popup.hidden = true;
    left.append(head, textBox, popup);
    const right = el("section", null, "items-side");
    const bar = el("div", null, "toolbar");
    const counts = el("span", null, "counts");
    counts.id = "counts";
    const acceptAll = button("全部接受其余 · accept the rest (A)", "", acceptRest);
    acceptAll.id = "accept-rest";
    const save = button("保存 · save (s)", "primary", saveDocument);
    save.id = "save";
    const help = button("快捷键 · keys (?)", "", () => { ui.help.hidden = !ui.help.hidden; });
    bar.append(counts, acceptAll, save, help);
    const checkLine = el("p", null, "check");
    checkLine.id = "check";
    const general = el("ul", null, "general");
    general.id = "general-issues";
    const helpBox = shortcutsHelp();
    const list = el("div", null, "items");
    list.id = "items";
    right.append(bar, checkLine, general, helpBox, list);
    layout.append(left, right);
    main.replaceChildren(layout);
    ui = { textBox, popup, counts, save, checkLine, general, list, help: helpBox };
    textBox.addEventListener("mouseup", () => setTimeout(showSelectionTools, 0));
    textBox.addEventListener("keyup", () => setTimeout(showSelectionTools, 0));
    renderItems();
  }

  const SHORTCUTS = [
    ["j / k", "下一项 / 上一项 · next / previous item"],
    ["a", "接受当前项 · accept the current item"],
    ["r", "拒绝当前项（再按恢复）· reject (again: undo)"],
    ["e", "编辑当前项的第一个字段 · edit the current item"],
    ["l", "链接到已有实体 · link to an existing entity (search)"],
    ["n", "用选中的文字新建实体 · new entity from the selected text"],
    ["q", "选中的文字作为当前项的引文 · selection becomes the current item's quote"],
    ["A", "接受其余所有提议 · accept every remaining proposal"],
    ["s / Ctrl+S", "保存 · save"],
    ["Esc", "离开输入框 · leave the field"],
    ["?", "显示或隐藏本帮助 · show or hide this help"],
  ];
  function shortcutsHelp() {
    const box = el("section", null, "help");
    box.id = "shortcuts";
    box.hidden = true;
    box.appendChild(el("h3", "快捷键 · Keyboard shortcuts"));
    const dl = el("dl");
    SHORTCUTS.forEach(([k, v]) => dl.append(el("dt", k), el("dd", v)));
    box.appendChild(dl);
    return box;
  }

  function entityItems() { return review.items.filter((i) => i.section === "entities"); }
  function rejectedIds() {
    return new Set(entityItems().filter((i) => i.status === "rejected").map((i) => i.fields.id));
  }
  function isEntityKey(key) {
    const p = schema.properties[key];
    return p && p.kind === "entity";
  }
  function cleaned(item, rejected) {
    const out = {};
    Object.entries(item.fields).forEach(([k, v]) => {
      if (v === null || v === undefined || v === "") return;
      if (Array.isArray(v)) {
        let values = v.filter((x) => x !== "" && x !== null);
        if (item.section === "entities" && isEntityKey(k)) values = values.filter((x) => !rejected.has(x));
        if (!values.length) return;
        out[k] = values;
        return;
      }
      if (item.section === "entities" && isEntityKey(k) && rejected.has(v)) return;
      out[k] = v;
    });
    return out;
  }
  function content() {
    const rejected = rejectedIds();
    const sent = { entities: [], facts: [] };
    const body = { article: { fields: review.article }, entities: [], facts: [] };
    review.items.forEach((item) => {
      if (item.status === "rejected") return;
      if (item.section === "facts" && (rejected.has(item.fields.subject) ||
          (isEntityKey(item.fields.predicate) && rejected.has(item.fields.object)))) return;
      body[item.section].push({ ref: item.ref, fields: cleaned(item, rejected) });
      sent[item.section].push(item.key);
    });
    return { body, sent };
  }

  let checkTimer = null;
  function changed() {
    review.dirty = true;
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 250);
    renderItems();
  }
  async function check() {
    const { body, sent } = content();
    const seq = ++review.seq;
    ui.checkLine.textContent = "检查中… · checking…";
    ui.checkLine.className = "check busy";
    try {
      const result = await api("POST", "/api/check", { id: review.id, content: body, base: review.base, sha: review.sha });
      if (seq !== review.seq) return;  // a newer check is on its way
      review.sent = sent;
      review.issues = result.issues;
      review.valid = result.ok;
      review.spans = result.spans || {};
      ui.checkLine.textContent = result.ok
        ? "✓ 有效：kg build 接受此文件（加载器与 SHACL 形状）· valid: kg build accepts this file"
        : `✗ ${result.issues.length} 个问题 · problems (kg build would refuse the file)`;
      ui.checkLine.className = result.ok ? "check ok" : "check bad";
    } catch (e) {
      if (seq !== review.seq) return;
      review.valid = false;
      review.issues = [];
      ui.checkLine.textContent = e.message;
      ui.checkLine.className = "check bad";
      if (e.status === 409) offerReload(e.message);
    }
    renderItems();
    renderReviewText();
    document.body.dataset.checked = String(review.seq);
  }
  function issuesOf(item) {
    if (!review.sent) return [];
    const index = review.sent[item.section].indexOf(item.key);
    if (index < 0) return [];
    return review.issues.filter((i) => i.section === item.section && i.index === index);
  }
  function spanOf(item) {
    if (!review.sent) return null;
    const index = review.sent[item.section].indexOf(item.key);
    const spans = review.spans[item.section] || [];
    return index >= 0 ? spans[index] || null : null;
  }

  function renderReviewText() {
    const spans = [];
    review.items.forEach((item) => {
      const span = spanOf(item);
      if (span) spans.push({ start: span[0], end: span[1], item });
    });
    review.items.filter((i) => i.status === "rejected").forEach((item) => {
      if (item.lastSpan) spans.push({ start: item.lastSpan[0], end: item.lastSpan[1], item });
    });
    review.items.forEach((item) => { const s = spanOf(item); if (s) item.lastSpan = s; });
    const scroll = ui.textBox.scrollTop;
    renderText(ui.textBox, review.text, spans, {
      decorate: (seg, covering) => {
        const item = covering[0].item;
        const type = item.section === "facts" ? null : item.fields.type;
        seg.style.setProperty("--c", type ? typeColor(type) : "#8c6d31");
        seg.classList.add(`s-${item.status}`);
        if (covering.some((c) => c.item === review.current)) seg.classList.add("current");
        if (covering.some((c) => issuesOf(c.item).length)) seg.classList.add("error");
        seg.title = covering.map((c) => itemTitle(c.item)).join(" · ");
      },
      onClick: (covering, seg) => {
        // repeated clicks on the same text go through the items it holds, innermost first
        const at = covering.findIndex((c) => c.item === review.current);
        const next = covering[(at + 1) % covering.length].item;
        select(next, true);
        seg.blur();
      },
    });
    ui.textBox.scrollTop = scroll;
  }
  function itemTitle(item) {
    const f = item.fields;
    if (item.section === "facts") return `${f.subject} —${f.predicate}→ ${f.object}`;
    return `${f.label || composedLabel(f) || f.id} (${f.type})`;
  }

  function composedLabel(f) {
    // as the builder composes them: a post from its place and role, a metric from its number
    const labelOf = (id) => {
      const other = entityItems().find((i) => i.fields.id === id);
      return other ? other.fields.label || "" : "";
    };
    if (f.type === "Post") return `${labelOf(f.postIn)}${labelOf(f.role)}`;
    if (f.type === "Metric") {
      const value = f.valueMissing ? "（数值缺失）" : ` ${f.value || ""}${f.scale || ""}${f.unit || ""}`;
      return `${f.indicator || "指标"}${value}`;
    }
    return "";
  }

  function renderItems() {
    const counts = { proposed: 0, accepted: 0, rejected: 0, new: 0, kept: 0 };
    review.items.forEach((i) => { counts[i.status] += 1; });
    ui.counts.textContent = `待定 ${counts.proposed} · 接受 ${counts.accepted + counts.kept} · ` +
      `拒绝 ${counts.rejected} · 新增 ${counts.new}`;
    ui.counts.title = "undecided · accepted · rejected · new";
    ui.save.disabled = counts.proposed > 0 || !review.valid;
    ui.save.title = counts.proposed > 0 ? `${counts.proposed} proposals are still undecided`
      : (review.valid ? "write the fact file" : "fix the problems first");
    ui.general.replaceChildren();
    review.issues.filter((i) => i.section === null || (i.section === "article" && !i.key) ||
        (i.section !== "article" && i.index === null)).forEach((i) => {
      ui.general.appendChild(el("li", `${i.where}: ${i.message}`, "issue"));
    });
    if (review.issues.some((i) => i.section === "article" && i.key)) review.articleOpen = true;
    const focused = document.activeElement && ui.list.contains(document.activeElement)
      ? document.activeElement.dataset.field : null;
    const scroll = ui.list.scrollTop;
    ui.list.replaceChildren(articleCard());
    let lastType = null;
    const ordered = [...entityItems(), ...review.items.filter((i) => i.section === "facts")];
    ordered.forEach((item) => {
      const group = item.section === "facts" ? "facts" : item.fields.type;
      if (group !== lastType) {
        ui.list.appendChild(el("h3", group === "facts" ? "关系 · Facts (relations with their own quote)" : typeName(group), "group"));
        lastType = group;
      }
      ui.list.appendChild(card(item));
    });
    ui.list.scrollTop = scroll;
    if (focused) {
      const again = ui.list.querySelector(`[data-field="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
  }

  function card(item) {
    const box = el("article", null, `item s-${item.status}`);
    box.dataset.key = item.key;
    box.dataset.section = item.section;
    if (item.section === "entities") box.dataset.id = item.fields.id || "";
    if (item === review.current) box.classList.add("current");
    const issues = issuesOf(item);
    if (issues.length) box.classList.add("has-issues");
    const head = el("div", null, "head");
    const title = el("button", itemTitle(item), "title");
    title.type = "button";
    title.addEventListener("click", () => select(item, true));
    const status = el("span", {
      proposed: "待定 proposed", accepted: "已接受 accepted", rejected: "已拒绝 rejected",
      new: "新增 new", kept: "文件中 in file",
    }[item.status], "status");
    head.append(title, status);
    if (item.linked) head.appendChild(el("span", `↔ 已链接 linked to ${item.linked}`, "linked"));
    const accept = button("✓ 接受", "accept", () => decide(item, "accepted"), "accept (a)");
    const reject = button(item.status === "rejected" ? "↶ 恢复" : "✗ 拒绝", "reject",
      () => decide(item, item.status === "rejected" ? "proposed" : "rejected"), "reject (r)");
    head.append(accept, reject);
    box.appendChild(head);
    issues.filter((i) => !i.key).forEach((i) => box.appendChild(el("p", `${i.where}: ${i.message}`, "issue")));
    if (item === review.current && item.status !== "rejected") box.appendChild(editor(item, issues));
    return box;
  }

  function articleCard() {
    // The article's own facts: title and source must be words of the article (the first
    // place they occur), the publication date is quoted like any fact.
    const box = el("details", null, "article-card");
    box.open = Boolean(review.articleOpen);
    box.addEventListener("toggle", () => { review.articleOpen = box.open; });
    const a = review.article;
    box.appendChild(el("summary", `文章 · Article ${a.id || ""} · ${a.title || a.file || ""}`));
    const issues = review.issues.filter((i) => i.section === "article");
    const pseudo = { key: "article" };
    const set = (key, value) => {
      if (value === "" || value === null) delete a[key]; else a[key] = value;
      changed();
    };
    const published = () => Object.assign({}, a.published || {});
    const setPublished = (key, value) => {
      const p = published();
      if (value === "" || value === null) delete p[key]; else p[key] = value;
      if (Object.keys(p).length) a.published = p; else delete a.published;
      changed();
    };
    const fromSelection = (apply) => button("用选中文字 · use selection", "use-selection", async () => {
      const found = await quoteOfSelection();
      if (found) { window.getSelection().removeAllRanges(); ui.popup.hidden = true; apply(found); }
    });
    const title = fieldRow(pseudo, "title", textInput(a.title, (v) => set("title", v.trim())), issues);
    title.appendChild(fromSelection((f) => set("title", f.quote)));
    const source = fieldRow(pseudo, "source", textInput(a.source, (v) => set("source", v.trim())), issues);
    source.appendChild(fromSelection((f) => set("source", f.quote)));
    const date = textInput(published().date, (v) => setPublished("date", v.trim()));
    date.placeholder = "YYYY-MM-DD";
    const dateRow = fieldRow(pseudo, "published.date", date, issues);
    const quote = fieldRow(pseudo, "published.quote",
      textInput(published().quote, (v) => setPublished("quote", v.trim())), issues);
    quote.appendChild(fromSelection((f) => {
      const p = published();
      p.quote = f.quote;
      if (f.occurrence) p.occurrence = f.occurrence; else delete p.occurrence;
      a.published = p;
      changed();
    }));
    box.append(title, source, dateRow, quote);
    const shown = ["title", "source", "published.date", "published.quote"];
    issues.filter((i) => i.key && !shown.includes(i.key))
      .forEach((i) => box.appendChild(el("p", `${i.where}: ${i.message}`, "issue")));
    return box;
  }

  function fieldRow(item, key, input, issues, removable) {
    const row = el("div", null, "field");
    const label = el("label", key in (schema.properties) ? propLabel(key) : key);
    input.dataset.field = key;
    input.id = `f-${item.key}-${key}`;
    label.htmlFor = input.id;
    row.append(label, input);
    if (removable) {
      row.appendChild(button("×", "remove", () => { delete item.fields[key]; changed(); }, `remove ${key}`));
    }
    issues.filter((i) => i.key === key || (i.key || "").startsWith(`${key}.`)).forEach((i) => {
      row.classList.add("bad");
      row.appendChild(el("p", `${i.where}: ${i.message}`, "issue"));
    });
    return row;
  }
  function textInput(value, onChange, multiline) {
    const input = el(multiline ? "textarea" : "input");
    if (multiline) input.rows = 2;
    input.value = value === undefined || value === null ? "" : String(value);
    input.spellcheck = false;
    input.addEventListener("change", () => onChange(input.value));
    return input;
  }
  function idList() {
    return entityItems().filter((i) => i.status !== "rejected").map((i) => i.fields.id).filter(Boolean);
  }
  function editor(item, issues) {
    const box = el("div", null, "editor");
    const f = item.fields;
    const set = (key, value) => {
      if (value === "" || value === null) delete f[key]; else f[key] = value;
      if (item.status === "proposed") item.status = "accepted";  // an edit is a decision
      changed();
    };
    if (item.section === "entities") {
      box.appendChild(fieldRow(item, "id", textInput(f.id, (v) => rename(item, v.trim())), issues));
      const type = el("select");
      Object.keys(schema.classes).forEach((t) => {
        const o = el("option", typeName(t));
        o.value = t;
        type.appendChild(o);
      });
      type.value = f.type;
      type.addEventListener("change", () => set("type", type.value));
      box.appendChild(fieldRow(item, "type", type, issues));
      box.appendChild(fieldRow(item, "label", textInput(f.label, (v) => set("label", v.trim())), issues));
      box.appendChild(fieldRow(item, "altLabels", textInput((f.altLabels || []).join("、"),
        (v) => set("altLabels", v.split(/[、,，]/).map((s) => s.trim()).filter(Boolean))), issues));
    } else {
      box.appendChild(fieldRow(item, "subject", idInput(f.subject, (v) => set("subject", v)), issues));
      const predicate = el("select");
      Object.keys(schema.properties).forEach((k) => {
        const o = el("option", propLabel(k));
        o.value = k;
        predicate.appendChild(o);
      });
      predicate.value = f.predicate || "";
      predicate.addEventListener("change", () => set("predicate", predicate.value));
      box.appendChild(fieldRow(item, "predicate", predicate, issues));
      const objectInput = isEntityKey(f.predicate) ? idInput(f.object, (v) => set("object", v))
        : textInput(f.object, (v) => set("object", v));
      box.appendChild(fieldRow(item, "object", objectInput, issues));
    }
    const quoteRow = fieldRow(item, "quote", textInput(f.quote, (v) => set("quote", v), true), issues);
    quoteRow.appendChild(button("用选中文字 · use selection (q)", "use-selection", () => quoteFromSelection(item)));
    box.appendChild(quoteRow);
    const occurrence = el("input");
    occurrence.type = "number";
    occurrence.min = "1";
    occurrence.value = f.occurrence || "";
    occurrence.addEventListener("change", () => set("occurrence", occurrence.value ? Number(occurrence.value) : null));
    box.appendChild(fieldRow(item, "occurrence", occurrence, issues));
    if (item.section === "entities") {
      Object.keys(f).filter((k) => k in schema.properties).forEach((key) => {
        box.appendChild(fieldRow(item, key, propertyInput(item, key), issues, true));
      });
      box.appendChild(addProperty(item));
      box.appendChild(linker(item));
    }
    issues.filter((i) => i.key && !(i.key in f) && !["id", "type", "label", "altLabels", "quote", "occurrence"].includes(i.key))
      .forEach((i) => box.appendChild(el("p", `${i.where}: ${i.message}`, "issue")));
    return box;
  }
  function idInput(value, onChange) {
    const input = textInput(value, (v) => onChange(v.trim()));
    input.setAttribute("list", "known-ids");
    return input;
  }
  function propertyInput(item, key) {
    const spec = schema.properties[key];
    const value = item.fields[key];
    const set = (v) => {
      item.fields[key] = v;
      if (item.status === "proposed") item.status = "accepted";
      changed();
    };
    if (spec.kind === "concept") {
      const select = el("select");
      spec.values.forEach((v) => { const o = el("option", v); o.value = v; select.appendChild(o); });
      select.value = value;
      select.addEventListener("change", () => set(select.value));
      return select;
    }
    if (spec.range === "boolean") {
      const box = el("input");
      box.type = "checkbox";
      box.checked = value === true;
      box.addEventListener("change", () => set(box.checked));
      return box;
    }
    if (spec.kind === "entity") {
      const shown = Array.isArray(value) ? value.join(", ") : value;
      const input = textInput(shown, (v) => {
        const parts = v.split(/[,，\s]+/).map((s) => s.trim()).filter(Boolean);
        set(Array.isArray(value) || parts.length > 1 ? parts : parts[0] || "");
      });
      input.setAttribute("list", "known-ids");
      return input;
    }
    return textInput(value, (v) => set(v));
  }
  function addProperty(item) {
    const row = el("div", null, "field add");
    const select = el("select");
    select.setAttribute("aria-label", "add a property");
    const first = el("option", "+ 属性 · add a property");
    first.value = "";
    select.appendChild(first);
    const is = (schema.classes[item.fields.type] || { is: [] }).is;
    Object.entries(schema.properties).forEach(([key, p]) => {
      if (key in item.fields) return;
      if (p.domain && !is.includes(p.domain)) return;
      const o = el("option", propLabel(key));
      o.value = key;
      select.appendChild(o);
    });
    select.addEventListener("change", () => {
      const key = select.value;
      if (!key) return;
      const p = schema.properties[key];
      item.fields[key] = p.kind === "concept" ? p.values[0] : (p.range === "boolean" ? true : "");
      changed();
    });
    row.appendChild(select);
    return row;
  }
  function linker(item) {
    const box = el("div", null, "linker");
    const input = el("input");
    input.type = "search";
    input.className = "link-search";
    input.placeholder = "链接到已有实体：搜索名称 · link to an existing entity: search (l)";
    input.setAttribute("aria-label", "search existing entities by label or alias");
    input.dataset.field = "link";
    const results = el("ul", null, "hits");
    const run = async () => {
      const q = input.value.trim();
      if (!q) { results.replaceChildren(); return; }
      const hits = await api("GET", `/api/search?q=${encodeURIComponent(q)}`);
      results.replaceChildren();
      hits.filter((h) => h.id !== item.fields.id).forEach((h) => {
        const li = el("li");
        const pick = button("", "hit", () => linkTo(item, h));
        pick.append(el("span", h.label, "label"), badge(h.type), el("code", h.id, "id"),
          el("span", ` 文章 ${h.articles.join(", ")}`, "hint"));
        li.appendChild(pick);
        results.appendChild(li);
      });
      if (!hits.length) results.appendChild(el("li", "无结果 · no match", "hint"));
    };
    input.addEventListener("input", () => {
      delete item.suggest;
      clearTimeout(input.timer);
      input.timer = setTimeout(run, 150);
    });
    box.append(input, results);
    // a new entity from a selection: the corpus entities of that name are offered at once
    if (item.suggest) { input.value = item.suggest; setTimeout(run, 0); }
    return box;
  }

  // ------------------------------------------------------------ review actions
  function select(item, scroll) {
    review.current = item;
    renderItems();
    renderReviewText();
    if (scroll) {
      const node = ui.list.querySelector(`[data-key="${item.key}"]`);
      if (node) node.scrollIntoView({ block: "nearest" });
      const span = spanOf(item);
      if (span) {
        const segs = segmentsIn(ui.textBox, span[0], span[1]);
        if (segs.length) segs[0].scrollIntoView({ block: "nearest" });
      }
    }
  }
  function decide(item, status) {
    item.status = status;
    review.current = item;
    changed();
  }
  function acceptRest() {
    review.items.forEach((i) => { if (i.status === "proposed") i.status = "accepted"; });
    changed();
  }
  function rename(item, newId) {
    const old = item.fields.id;
    if (!newId || newId === old) return;
    item.fields.id = newId;
    replaceReferences(old, newId);
    if (item.status === "proposed") item.status = "accepted";
    changed();
  }
  function replaceReferences(old, newId) {
    review.items.forEach((other) => {
      const f = other.fields;
      if (other.section === "facts") {
        if (f.subject === old) f.subject = newId;
        if (isEntityKey(f.predicate) && f.object === old) f.object = newId;
        return;
      }
      Object.keys(f).forEach((k) => {
        if (!isEntityKey(k)) return;
        if (Array.isArray(f[k])) f[k] = f[k].map((v) => (v === old ? newId : v));
        else if (f[k] === old) f[k] = newId;
      });
    });
  }
  function linkTo(item, hit) {
    // The same real-world entity is one node: take the corpus entity's id, type and label.
    const old = item.fields.id;
    item.fields.id = hit.id;
    item.fields.type = hit.type;
    if (hit.labelled) item.fields.label = hit.label; else delete item.fields.label;
    item.linked = hit.id;
    replaceReferences(old, hit.id);
    if (item.status === "proposed") item.status = "accepted";
    say(`已链接 · linked ${old || "new entity"} → ${hit.id} (${hit.label})`);
    changed();
  }
  function showSelectionTools() {
    const range = selectionIn(ui.textBox);
    if (!range) { ui.popup.hidden = true; return; }
    const rect = window.getSelection().getRangeAt(0).getBoundingClientRect();
    const host = ui.textBox.parentElement.getBoundingClientRect();
    ui.popup.replaceChildren();
    const type = el("select");
    type.id = "new-type";
    type.setAttribute("aria-label", "type of the new entity");
    Object.keys(schema.classes).forEach((t) => {
      const o = el("option", typeName(t));
      o.value = t;
      type.appendChild(o);
    });
    type.value = ui.lastType || "Person";
    const add = button("+ 新实体 · new entity (n)", "primary", () => newFromSelection(type.value));
    add.id = "new-entity";
    const asQuote = button("作为当前项引文 · as quote (q)", "", () => quoteFromSelection(review.current));
    asQuote.id = "as-quote";
    asQuote.disabled = !review.current;
    const addFact = button("+ 关系 · new fact", "", () => newFact());
    ui.popup.append(type, add, asQuote, addFact);
    ui.popup.style.left = `${Math.max(0, rect.left - host.left)}px`;
    ui.popup.style.top = `${rect.bottom - host.top + ui.textBox.parentElement.scrollTop + 6}px`;
    ui.popup.hidden = false;
  }
  async function quoteOfSelection() {
    const range = selectionIn(ui.textBox);
    if (!range) { say("先在文中选中文字 · select text in the article first", "error"); return null; }
    try {
      return await api("POST", "/api/quote", { file: review.file, start: range.start, end: range.end });
    } catch (e) { say(e.message, "error"); return null; }
  }
  async function newFromSelection(type) {
    const found = await quoteOfSelection();
    if (!found) return;
    ui.lastType = type;
    const n = entityItems().filter((i) => i.fields.type === type).length + 1;
    let id = `${review.id}-${type.toLowerCase()}-${n}`;
    const taken = new Set(idList());
    for (let k = n; taken.has(id); k++) id = `${review.id}-${type.toLowerCase()}-${k + 1}`;
    const fields = { id, type };
    if (!schema.classes[type].composedLabel) fields.label = found.quote;
    fields.quote = found.quote;
    if (found.occurrence) fields.occurrence = found.occurrence;
    const item = { key: ++uid, section: "entities", ref: null, fields, status: "new", linked: null,
      suggest: found.quote };
    // after the last entity of its type, so the file keeps its grouping
    let at = -1;
    review.items.forEach((i, k) => { if (i.section === "entities" && i.fields.type === type) at = k; });
    if (at < 0) review.items.forEach((i, k) => { if (i.section === "entities") at = k; });
    review.items.splice(at + 1, 0, item);
    review.current = item;
    window.getSelection().removeAllRanges();
    ui.popup.hidden = true;
    changed();
    select(item, true);
  }
  function newFact() {
    quoteOfSelection().then((found) => {
      if (!found) return;
      const fields = { subject: "", predicate: "leads", object: "", quote: found.quote };
      if (found.occurrence) fields.occurrence = found.occurrence;
      const item = { key: ++uid, section: "facts", ref: null, fields, status: "new", linked: null };
      review.items.push(item);
      ui.popup.hidden = true;
      changed();
      select(item, true);
    });
  }
  async function quoteFromSelection(item) {
    if (!item) { say("先选择一项 · select an item first", "error"); return; }
    const found = await quoteOfSelection();
    if (!found) return;
    item.fields.quote = found.quote;
    if (found.occurrence) item.fields.occurrence = found.occurrence; else delete item.fields.occurrence;
    if (item.status === "proposed") item.status = "accepted";
    window.getSelection().removeAllRanges();
    ui.popup.hidden = true;
    say(`引文已更新 · quote set: ${found.quote}`);
    changed();
  }
  async function saveDocument() {
    if (ui.save.disabled) {
      say(ui.save.title, "error");
      return;
    }
    const { body } = content();
    try {
      const saved = await api("POST", "/api/save", { id: review.id, content: body, base: review.base, sha: review.sha });
      say(`已保存 · saved ${saved.saved}`, "ok");
      const reopened = await api("GET", `/api/open?id=${encodeURIComponent(review.id)}`);
      history.replaceState(null, "", `/review?id=${encodeURIComponent(review.id)}`);
      openDocument(reopened);
      say(`已保存 · saved ${saved.saved} — kg build 会接受它 · kg build will accept it`, "ok");
      document.body.dataset.saved = saved.sha;
    } catch (e) {
      if (e.status === 409) offerReload(e.message); else say(e.message, "error");
    }
  }
  function offerReload(message) {
    say(message, "error");
    if (document.getElementById("reload")) return;
    const again = button("从磁盘重新加载（放弃修改）· reload from disk (drops your edits)", "primary", async () => {
      const doc = await api("GET", `/api/open?id=${encodeURIComponent(review.id)}`);
      history.replaceState(null, "", `/review?id=${encodeURIComponent(review.id)}`);
      openDocument(doc);
    });
    again.id = "reload";
    ui.checkLine.after(again);
  }

  function move(step) {
    const ordered = [...entityItems(), ...review.items.filter((i) => i.section === "facts")];
    if (!ordered.length) return;
    const at = ordered.indexOf(review.current);
    const next = ordered[Math.min(ordered.length - 1, Math.max(0, at < 0 ? 0 : at + step))];
    select(next, true);
  }
  function shortcuts(ev) {
    const typing = ev.target.closest && ev.target.closest("input, textarea, select");
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "s") { ev.preventDefault(); saveDocument(); return; }
    if (ev.key === "Escape") { if (typing) ev.target.blur(); ui.popup.hidden = true; return; }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const item = review.current;
    const act = {
      j: () => move(1), k: () => move(-1),
      a: () => item && decide(item, "accepted"),
      r: () => item && decide(item, item.status === "rejected" ? "proposed" : "rejected"),
      A: acceptRest,
      e: () => { const f = ui.list.querySelector(".current .editor input, .current .editor select"); if (f) f.focus(); },
      l: () => { const f = ui.list.querySelector(".current .link-search"); if (f) f.focus(); },
      n: () => newFromSelection(document.getElementById("new-type") ? document.getElementById("new-type").value : "Person"),
      q: () => quoteFromSelection(item),
      s: saveDocument,
      "?": () => { ui.help.hidden = !ui.help.hidden; },
    }[ev.key];
    if (act) { ev.preventDefault(); act(); }
  }

  // ------------------------------------------------------------ questions
  async function questions() {
    const list = await api("GET", "/api/queries");
    const box = el("section", null, "questions");
    box.appendChild(el("h2", "问题 · Competency questions"));
    box.appendChild(el("p", "每个问题是 ontology/queries/ 中的一个 SPARQL 查询，在当前数据上运行。" +
      "Each question is a named SPARQL query run on the data as it is on disk now.", "hint"));
    list.forEach((q) => {
      const card = el("section", null, "query card");
      card.dataset.name = q.name;
      card.appendChild(el("h3", q.name));
      card.appendChild(el("p", q.question));
      const inputs = {};
      Object.entries(q.params).forEach(([name, description]) => {
        const row = el("label", null, "param");
        const input = el("input");
        input.name = name;
        input.placeholder = description;
        inputs[name] = input;
        row.append(el("span", name), input);
        card.appendChild(row);
      });
      const out = el("div", null, "result");
      const query = () => {
        const p = new URLSearchParams({ name: q.name });
        Object.entries(inputs).forEach(([k, i]) => { if (i.value.trim()) p.set(`param.${k}`, i.value.trim()); });
        return p;
      };
      const run = button("运行 · run", "primary run", async () => {
        try {
          const result = await api("GET", `/api/query?${query()}`);
          out.replaceChildren(table(result), link("下载 CSV · download CSV", `/api/query.csv?${query()}`, "csv"));
          out.lastChild.setAttribute("download", `${q.name}.csv`);
        } catch (e) { out.replaceChildren(el("p", e.message, "issue")); }
      });
      card.append(run, out);
      box.appendChild(card);
    });
    main.replaceChildren(box);
  }
  function table(result) {
    const t = el("table", null, "rows");
    const head = el("tr");
    result.vars.forEach((v) => head.appendChild(el("th", v)));
    t.appendChild(head);
    result.rows.forEach((row) => {
      const tr = el("tr");
      row.forEach((v) => tr.appendChild(el("td", v === null ? "" : v)));
      t.appendChild(tr);
    });
    const wrap = el("div", null, "table");
    wrap.append(el("p", `${result.rows.length} 行 · rows`, "hint"), t);
    return wrap;
  }

  // ------------------------------------------------------------ start
  async function start() {
    const view = location.pathname.replace(/^\//, "") || "reader";
    document.querySelectorAll("nav a").forEach((a) => {
      if (a.dataset.view === view) a.setAttribute("aria-current", "page");
    });
    document.body.dataset.view = view;
    try {
      schema = await api("GET", "/api/schema");
      if (view === "reader") await reader();
      else if (view === "review") {
        document.addEventListener("keydown", (ev) => { if (ui.list) shortcuts(ev); });
        await reviewView();
      } else if (view === "questions") await questions();
    } catch (e) {
      say(e.message, "error");
    }
    const ids = el("datalist");
    ids.id = "known-ids";
    document.body.appendChild(ids);
    document.addEventListener("focusin", (ev) => {
      if (ev.target.getAttribute && ev.target.getAttribute("list") === "known-ids") {
        ids.replaceChildren(...idList().map((i) => { const o = el("option"); o.value = i; return o; }));
      }
    });
    document.body.dataset.ready = "true";
  }
  start();
})();
