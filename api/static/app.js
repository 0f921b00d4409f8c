// docready intake demo: plain JavaScript, no build step. Talks to the API on this origin.
"use strict";

const form = document.getElementById("intake");
const fileInput = document.getElementById("files");
const drop = document.getElementById("drop");
const fileList = document.getElementById("file-list");
const fileProblem = document.getElementById("file-problem");
const langSelect = document.getElementById("lang");
const profileSelect = document.getElementById("profile");
const submitButton = document.getElementById("submit");
const result = document.getElementById("result");
const verdict = document.getElementById("verdict");
const resultProblem = document.getElementById("result-problem");
const reportFrame = document.getElementById("report");
const FIELDS = ["name", "id_number", "phone", "employer", "monthly_income", "bank_account"];
const VERDICTS = {
  ready: { zh: "可以提交", en: "ready to submit" },
  review: { zh: "需核对后提交", en: "check before submitting" },
  not_ready: { zh: "暂不可提交", en: "not ready to submit" },
};

let files = [];
let limits = null;
let policies = null;

function headers(extra = {}) {
  const key = document.getElementById("api-key").value;
  return key ? { ...extra, "X-API-Key": key } : extra;
}

function lang() {
  return langSelect.value;
}

// A problem+json body as one line: its detail, else its title.
async function problemText(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || String(response.status);
  } catch {
    return `HTTP ${response.status}`;
  }
}

// ---- files -------------------------------------------------------------------------------
function setFiles(picked) {
  files = Array.from(picked);
  fileList.replaceChildren(
    ...files.map((file) => {
      const item = document.createElement("li");
      item.textContent = `${file.name} (${Math.ceil(file.size / 1024)} KiB)`;
      return item;
    }),
  );
  fileProblem.textContent = fileLimitProblem();
}

function fileLimitProblem() {
  if (!limits) return "";
  if (files.length > limits.max_files) {
    return lang() === "zh" ? `最多 ${limits.max_files} 个文件。` : `At most ${limits.max_files} files.`;
  }
  const big = files.find((file) => file.size > limits.max_file_bytes);
  if (big) {
    return lang() === "zh" ? `${big.name} 太大了。` : `${big.name} is too large.`;
  }
  return "";
}

fileInput.addEventListener("change", () => setFiles(fileInput.files));
for (const name of ["dragenter", "dragover"]) {
  drop.addEventListener(name, (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
}
for (const name of ["dragleave", "drop"]) {
  drop.addEventListener(name, () => drop.classList.remove("over"));
}
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  setFiles(event.dataTransfer.files);
});

// ---- declared fields, validated as the applicant types ------------------------------------
function declared() {
  const values = {};
  for (const name of FIELDS) {
    const value = form.elements[name].value.trim();
    if (value) values[name] = value;
  }
  return values;
}

function messageFor(name) {
  const input = form.elements[name];
  let message = input.parentElement.querySelector(".field-message");
  if (!message) {
    message = document.createElement("span");
    message.className = "field-message";
    message.setAttribute("aria-live", "polite");
    input.parentElement.append(message);
  }
  return message;
}

let validation = null;
async function validateFields() {
  if (validation) validation.abort();
  validation = new AbortController();
  let findings = [];
  try {
    const response = await fetch(`/v1/fields/validate?lang=${lang()}`, {
      method: "POST",
      headers: headers({ "Content-Type": "application/json" }),
      body: JSON.stringify(declared()),
      signal: validation.signal,
    });
    if (!response.ok) return;
    findings = (await response.json()).findings;
  } catch {
    return; // aborted by a newer keystroke, or offline: the check on submit still runs
  }
  for (const name of FIELDS) {
    const found = findings.find((finding) => finding.field === name);
    const message = messageFor(name);
    form.elements[name].setAttribute("aria-invalid", found ? "true" : "false");
    message.textContent = found ? `${found.message} ${found.hint}` : "";
    message.classList.toggle("warning", Boolean(found && found.severity !== "error"));
  }
}

let typingTimer = null;
for (const name of FIELDS) {
  form.elements[name].addEventListener("input", () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(validateFields, 250);
  });
}
langSelect.addEventListener("change", validateFields);
langSelect.addEventListener("change", () => showProfiles());

// ---- the check -------------------------------------------------------------------------------
function showReport(html) {
  reportFrame.srcdoc = html;
  reportFrame.addEventListener(
    "load",
    () => {
      const page = reportFrame.contentDocument;
      if (page) reportFrame.style.height = `${page.documentElement.scrollHeight + 24}px`;
    },
    { once: true },
  );
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const tooBig = fileLimitProblem();
  if (!files.length || tooBig) {
    fileProblem.textContent = tooBig || (lang() === "zh" ? "请先选择文件。" : "Pick the files first.");
    return;
  }
  const body = new FormData();
  for (const file of files) body.append("files", file, file.name);
  body.append("declared", JSON.stringify(declared()));
  if (profileSelect.value) body.append("profile", profileSelect.value);
  body.append("lang", lang());
  body.append("html", "true");
  const asOf = document.getElementById("as_of").value;
  if (asOf) body.append("as_of", asOf);

  submitButton.disabled = true;
  result.hidden = false;
  verdict.className = "verdict";
  verdict.textContent = lang() === "zh" ? "检查中…" : "checking…";
  resultProblem.textContent = "";
  try {
    const response = await fetch("/v1/checks", { method: "POST", headers: headers(), body });
    if (!response.ok) {
      verdict.textContent = "";
      resultProblem.textContent = await problemText(response);
      reportFrame.srcdoc = "";
      return;
    }
    const value = response.headers.get("Docready-Verdict") || "";
    verdict.className = `verdict ${value}`;
    verdict.dataset.verdict = value;
    verdict.textContent = (VERDICTS[value] || {})[lang()] || value;
    showReport(await response.text());
  } catch (error) {
    verdict.textContent = "";
    resultProblem.textContent = String(error);
  } finally {
    submitButton.disabled = false;
  }
});

// ---- start -------------------------------------------------------------------------------------
async function loadPolicies() {
  try {
    const response = await fetch("/v1/policies", { headers: headers() });
    if (!response.ok) return; // e.g. 401 until the API key is typed in
    policies = await response.json();
    limits = policies.limits;
    showProfiles();
  } catch {
    // the check still runs, with the server's default profile
  }
}

// Each profile by its label in the page's language (the policy's words, not its key).
function showProfiles() {
  if (!policies) return;
  const chosen = profileSelect.value || policies.default_profile;
  profileSelect.replaceChildren(
    ...Object.entries(policies.profiles).map(([name, profile]) => {
      const label = (profile.label || {})[lang()] || profile.description || name;
      const option = new Option(label, name);
      option.selected = name === chosen;
      return option;
    }),
  );
}

if (navigator.language && !navigator.language.toLowerCase().startsWith("zh")) {
  langSelect.value = "en";
}
document.getElementById("api-key").addEventListener("change", loadPolicies);
loadPolicies();
