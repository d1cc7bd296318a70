// The pieces of CodeMirror 6 the definition page uses, exposed as one global (window.CM) so
// that the page's own script stays plain JavaScript without a build step.
import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { yaml } from "@codemirror/lang-yaml";
import { linter, lintGutter, forceLinting, setDiagnostics } from "@codemirror/lint";
import { keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";

window.CM = {
  EditorView, EditorState, basicSetup, yaml, linter, lintGutter, forceLinting,
  setDiagnostics, keymap, indentWithTab,
};
