// The meetings page: fill each row's problems, create a meeting, roll one to next year.
"use strict";
for (const row of document.querySelectorAll("#meetings tr[data-id]")) {
  const id = row.dataset.id;
  api("GET", `/api/m/${encodeURIComponent(id)}/summary`).then((s) => {
    row.querySelector(".documents").textContent = s.documents.length ? `${s.documents.length} 份` : "—";
    const cell = row.querySelector(".problems");
    cell.textContent = s.errors ? `${s.errors} 处错误` : (s.warnings ? `${s.warnings} 处提醒` : "没有问题");
    cell.className = "problems " + (s.errors ? "bad" : s.warnings ? "warn" : "good");
  }).catch((e) => { row.querySelector(".problems").textContent = e.message; });
}

document.getElementById("new-meeting").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const made = await api("POST", "/api/meetings", { name: form.get("name"), example: form.get("example") });
    location.href = `/m/${encodeURIComponent(made.id)}`;
  } catch (e) { toast(e.message, true); }
});

for (const button of document.querySelectorAll("button.roll")) {
  button.addEventListener("click", async () => {
    const id = button.dataset.id;
    const name = prompt("明年的会议放在哪个新文件夹？（输入名称）", `${id}-明年`);
    if (!name) return;
    try {
      const made = await api("POST", `/api/m/${encodeURIComponent(id)}/roll`, { name });
      if (made.todo.length) alert("已生成明年的定义。请填写或核对：\n" + made.todo.map((t) => t.message).join("\n"));
      location.href = `/m/${encodeURIComponent(made.id)}`;
    } catch (e) { toast(e.message, true); }
  });
}
