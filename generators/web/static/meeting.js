// One meeting: the definition editor with live checking, the yearly form, the workbook, the
// templates, the page previews and the build.
"use strict";
const MEETING = document.getElementById("meeting-id").textContent;
const BASE = `/api/m/${encodeURIComponent(MEETING)}`;
let version = null;          // the file's version when it was read, for the stale-save check
let lastIssues = [];
let previewWanted = false;   // refresh the previews after the next successful check

// Tabs ------------------------------------------------------------------------------------
function showTab() {
  const name = (location.hash || "#definition").slice(1);
  for (const section of document.querySelectorAll("section.tab")) section.hidden = section.id !== `tab-${name}`;
  for (const link of document.querySelectorAll("nav.tabs a")) link.classList.toggle("active", link.dataset.tab === name);
  if (name === "workbook") loadFigures();
  if (name === "templates") loadFields();
  if (name === "preview") refreshPreview();
  if (name === "build") loadFiles();
}
window.addEventListener("hashchange", showTab);

// Editor and live check -------------------------------------------------------------------
const { EditorView, EditorState, basicSetup, yaml, linter, lintGutter, keymap, indentWithTab } = window.CM;

async function lint(view) {
  const text = view.state.doc.toString();
  document.getElementById("check-state").textContent = "检查中…";
  let issues;
  try {
    issues = (await api("POST", `${BASE}/check`, { text })).issues;
  } catch (e) {
    document.getElementById("check-state").textContent = e.message;
    return [];
  }
  if (view.state.doc.toString() !== text) return [];  // typed on meanwhile: the next run counts
  showIssues(issues);
  const errors = issues.filter((i) => i.severity === "error").length;
  document.getElementById("check-state").textContent = errors ? "" : "检查通过";
  if (!errors && (previewWanted || !document.getElementById("tab-preview").hidden)) refreshPreview();
  const doc = view.state.doc;
  return issues.filter((i) => i.line && i.line <= doc.lines && (!i.file || i.file.endsWith(".yaml") || i.file.endsWith(".yml")))
    .map((i) => {
      const line = doc.line(i.line);
      const from = Math.min(line.from + Math.max((i.column || 1) - 1, 0), line.to);
      return { from, to: Math.max(line.to, from), severity: i.severity, message: i.message };
    });
}

const view = new EditorView({
  parent: document.getElementById("editor"),
  state: EditorState.create({
    doc: "",
    extensions: [
      basicSetup, yaml(), lintGutter(), EditorView.lineWrapping, linter(lint, { delay: 400 }), keymap.of([indentWithTab]),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) document.getElementById("save-state").textContent = "有未保存的修改";
        if (update.selectionSet || update.docChanged) scheduleHelp();
      }),
    ],
  }),
});

function setText(text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

function jumpTo(line) {
  const target = view.state.doc.line(Math.min(line, view.state.doc.lines));
  view.dispatch({ selection: { anchor: target.from }, effects: EditorView.scrollIntoView(target.from, { y: "center" }) });
  view.focus();
  location.hash = "#definition";
}

function showIssues(issues) {
  lastIssues = issues;
  const list = document.getElementById("issues");
  list.replaceChildren();
  const errors = issues.filter((i) => i.severity === "error").length;
  document.getElementById("issue-count").textContent = issues.length ? `（${errors} 处错误，${issues.length - errors} 处提醒）` : "（没有）";
  for (const issue of issues) {
    const item = el("li", { class: issue.severity }, el("span", { class: "where" }, where(issue)), " ", issue.message);
    if (issue.line && (!issue.file || /\.ya?ml$/.test(issue.file))) {
      item.classList.add("clickable");
      item.addEventListener("click", () => jumpTo(issue.line));
    }
    list.append(item);
  }
}

async function loadDefinition() {
  const data = await api("GET", `${BASE}/definition`);
  version = data.etag;
  setText(data.text);
  document.getElementById("save-state").textContent = "";
  loadForm();
}

async function save() {
  try {
    const data = await api("PUT", `${BASE}/definition`, { text: view.state.doc.toString(), etag: version });
    version = data.etag;
    document.getElementById("save-state").textContent = "已保存";
    toast("已保存（原来的版本留在“历史版本”文件夹）");
  } catch (e) {
    document.getElementById("save-state").textContent = e.status === 409 ? "未保存：文件已被别处修改" : "未保存";
    toast(e.message, true);
  }
}
document.getElementById("save").addEventListener("click", save);
document.getElementById("reload").addEventListener("click", () => {
  if (document.getElementById("save-state").textContent === "有未保存的修改" && !confirm("放弃未保存的修改，重新载入文件？")) return;
  loadDefinition();
});
document.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === "s") { event.preventDefault(); save(); }
});

// Field help: the key path of the cursor's line, by indentation -----------------------------
function keyPath() {
  const doc = view.state.doc;
  let number = doc.lineAt(view.state.selection.main.head).number;
  const keys = [];
  let indent = Infinity;
  for (; number >= 1; number--) {
    const text = doc.line(number).text;
    const match = text.match(/^(\s*)(?:- )?([^\s#:][^:#]*?)\s*:(?:\s|$)/);
    if (!match) continue;
    const depth = match[1].length + (text.trimStart().startsWith("- ") ? 2 : 0);
    if (depth < indent) { keys.unshift(match[2].replace(/\+$/, "")); indent = depth; }
    if (depth === 0) break;
  }
  return keys;
}
function scheduleHelp() {
  clearTimeout(scheduleHelp.timer);
  scheduleHelp.timer = setTimeout(async () => {
    const keys = keyPath();
    const box = document.getElementById("help");
    if (!keys.length) return;
    const help = await api("GET", `/api/help?path=${encodeURIComponent(keys.join("."))}`).catch(() => ({}));
    box.replaceChildren(el("b", {}, `${keys.join(".")}　${help.title || ""}`), " ", help.description || "");
  }, 250);
}

// The yearly form ---------------------------------------------------------------------------
async function loadForm() {
  const box = document.getElementById("yearly");
  let form;
  try { form = await api("POST", `${BASE}/form/read`, { text: view.state.doc.toString() }); }
  catch (e) { box.replaceChildren(el("p", { class: "hint" }, e.message)); return; }
  box.replaceChildren();
  for (const [key, label] of Object.entries(form.labels)) {
    box.append(el("label", { class: "field" }, label, el("input", { name: `facts.${key}`, value: form.facts[key] || "" })));
  }
  box.append(el("label", { class: "field" }, "出席领导（用顿号分隔）", el("input", { name: "leaders", value: form.leaders.join("、") })));
  const table = el("table", { class: "agenda" }, el("tr", {}, el("th", {}, "由谁"), el("th", {}, "做什么"), el("th", {}, "内容")));
  const addRow = (row) => table.append(el("tr", { class: "agenda-row" },
    ...["by", "does", "topic"].map((k) => el("td", {}, el("input", { name: `agenda.${k}`, value: row[k] || "" })))));
  form.agenda.forEach(addRow);
  box.append(el("div", { class: "field" }, "议程", table,
    el("button", { type: "button", onclick: () => addRow({}) }, "加一项")));
}

document.getElementById("form-apply").addEventListener("click", async () => {
  const box = document.getElementById("yearly");
  const facts = {};
  for (const input of box.querySelectorAll("input[name^='facts.']")) facts[input.name.slice(6)] = input.value;
  const leaders = box.querySelector("input[name='leaders']").value.split(/[、,，\s]+/).filter(Boolean);
  const agenda = [...box.querySelectorAll("tr.agenda-row")].map((row) => {
    const item = {};
    for (const input of row.querySelectorAll("input")) item[input.name.slice(7)] = input.value;
    return item;
  });
  try {
    const data = await api("POST", `${BASE}/form/write`, { text: view.state.doc.toString(), form: { facts, leaders, agenda } });
    setText(data.text);
    toast("已填入定义，请保存。");
  } catch (e) { toast(e.message, true); }
});

// Workbook ----------------------------------------------------------------------------------
function issueList(id, issues) {
  const list = document.getElementById(id);
  list.replaceChildren(...issues.map((i) => el("li", { class: i.severity }, el("span", { class: "where" }, where(i)), " ", i.message)));
}

document.getElementById("workbook-file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  try {
    const data = await api("PUT", `${BASE}/workbook`, undefined, file);
    issueList("workbook-issues", data.issues);
    toast(data.issues.some((i) => i.severity === "error") ? "已上传，但表里有错误（见下）" : "已上传，检查通过");
    loadFigures();
  } catch (e) {
    issueList("workbook-issues", [{ severity: "error", message: e.message }]);
    toast(e.message, true);
  }
  event.target.value = "";
});

async function loadFigures() {
  const box = document.getElementById("figures");
  try {
    const data = await api("GET", `${BASE}/figures`);
    box.replaceChildren(...data.tables.map((t) => el("div", {}, el("h4", {}, t.title),
      el("table", { class: "list figures" }, el("tr", {}, ...t.columns.map((c) => el("th", {}, c))),
        ...t.rows.map((r) => el("tr", {}, ...r.map((v) => el("td", {}, v))))))));
    if (!data.tables.length) box.textContent = "这份定义没有要由指标表计算的数。";
  } catch (e) { box.textContent = e.message; }
}

// Templates ---------------------------------------------------------------------------------
async function loadFields() {
  const select = document.getElementById("template-kind");
  const kind = select.value || "notice";
  try {
    const data = await api("GET", `${BASE}/fields?kind=${encodeURIComponent(kind)}`);
    if (!select.options.length) {
      for (const k of data.kinds) select.append(el("option", { value: k.id, "data-template": k.template }, `${k.name}（${k.template}.docx）`));
      select.value = kind;
    }
    document.querySelector("#fields tbody").replaceChildren(...data.fields.map((f) =>
      el("tr", {}, el("td", {}, el("code", {}, `{{ ${f.name} }}`)), el("td", {}, f.description), el("td", {}, f.example))));
  } catch (e) { toast(e.message, true); }
}
document.getElementById("template-kind").addEventListener("change", loadFields);
document.getElementById("template-file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const option = document.getElementById("template-kind").selectedOptions[0];
  try {
    const data = await api("PUT", `${BASE}/模板/${encodeURIComponent(option.dataset.template)}`, undefined, file);
    issueList("template-issues", data.issues);
    toast("模板已上传，检查通过");
  } catch (e) {
    issueList("template-issues", (e.data && e.data.issues && e.data.issues.length) ? e.data.issues : [{ severity: "error", message: e.message }]);
    toast(e.status === 422 ? "模板有错误，未采用（见下）" : e.message, true);
  }
  event.target.value = "";
});

// Preview -----------------------------------------------------------------------------------
let previewRunning = false;
async function refreshPreview() {
  previewWanted = true;
  if (previewRunning) { refreshPreview.again = true; return; }
  previewRunning = true;
  const state = document.getElementById("preview-state");
  state.textContent = "正在排版…";
  try {
    const data = await api("POST", `${BASE}/preview`, { text: view.state.doc.toString() });
    const box = document.getElementById("previews");
    box.replaceChildren(...data.documents.map((d) => el("div", { class: "document", "data-kind": d.kind },
      el("h4", {}, d.name, d.pages ? `（${d.pages} 页）` : ""),
      d.error ? el("p", { class: "bad" }, d.error) : el("div", { class: "pages" },
        ...Array.from({ length: d.pages }, (_, n) => el("img", { src: `/preview/${d.digest}/${n + 1}.png`, alt: `${d.name} 第 ${n + 1} 页`, loading: "lazy" }))))));
    state.textContent = `已更新 ${new Date().toLocaleTimeString()}`;
  } catch (e) { state.textContent = e.message; }
  previewRunning = false;
  if (refreshPreview.again) { refreshPreview.again = false; refreshPreview(); }
}
document.getElementById("preview-now").addEventListener("click", refreshPreview);
document.getElementById("previews").addEventListener("click", (event) => {
  if (event.target.tagName !== "IMG") return;
  const box = document.getElementById("lightbox");
  box.querySelector("img").src = event.target.src;
  box.hidden = false;
});
document.getElementById("lightbox").addEventListener("click", (event) => { event.currentTarget.hidden = true; });

// Build -------------------------------------------------------------------------------------
let job = null;
document.getElementById("build").addEventListener("click", async () => {
  try {
    job = await api("POST", `${BASE}/build`, { pdf: document.getElementById("with-pdf").checked });
    document.getElementById("cancel").hidden = false;
    pollJob();
  } catch (e) { toast(e.message, true); }
});
document.getElementById("cancel").addEventListener("click", async () => {
  if (job) await api("POST", `/api/jobs/${job.id}/cancel`).catch(() => {});
  document.getElementById("progress").textContent = "正在取消…";
});
async function pollJob() {
  job = await api("GET", `/api/jobs/${job.id}`);
  const box = document.getElementById("progress");
  box.textContent = job.state === "running" ? `正在生成：${job.stage}` :
    job.state === "done" ? "生成完成。" : job.error;
  if (job.state === "running" && job.total) box.append(" ", el("progress", { max: job.total, value: job.done }));
  box.className = job.state === "failed" ? "bad" : "hint";
  if (job.state === "running") { setTimeout(pollJob, 500); return; }
  document.getElementById("cancel").hidden = true;
  loadFiles();
}
async function loadFiles() {
  const data = await api("GET", `${BASE}/files`).catch(() => ({ files: [] }));
  const link = (path) => `/m/${encodeURIComponent(MEETING)}/download/${path.split("/").map(encodeURIComponent).join("/")}`;
  document.getElementById("archive").replaceChildren(data.archive ?
    el("a", { class: "button primary", href: link("会议材料.zip"), id: "download-zip" }, "下载全套材料（.zip）") : "");
  document.getElementById("files").replaceChildren(...data.files.map((f) => el("li", {}, el("a", { href: link(f) }, f))));
}

window.addEventListener("beforeunload", (event) => {
  if (document.getElementById("save-state").textContent === "有未保存的修改") event.preventDefault();
});

loadDefinition().then(showTab).catch((e) => toast(e.message, true));
