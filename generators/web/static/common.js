// Shared by every page: requests carrying the CSRF token, and short messages for the user.
"use strict";
const CSRF = document.querySelector('meta[name="csrf"]').content;

async function api(method, url, body, raw) {
  const options = { method, headers: { "X-Huiwu-CSRF": CSRF }, credentials: "same-origin" };
  if (raw !== undefined) {
    options.body = raw;
  } else if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  let data = {};
  try { data = await response.json(); } catch (e) { data = {}; }
  if (!response.ok) {
    const error = new Error(data.error || `请求失败（${response.status}）`);
    error.status = response.status;
    error.data = data;
    throw error;
  }
  return data;
}

function toast(message, bad) {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.className = bad ? "show bad" : "show";
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.className = ""; }, bad ? 8000 : 3000);
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function where(issue) {
  if (issue.sheet) return `${issue.sheet}!${issue.cell || ""}`;
  if (issue.document) return issue.document;
  if (issue.line) return `第 ${issue.line} 行`;
  return "";
}
