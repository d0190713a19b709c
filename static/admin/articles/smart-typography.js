// Typographic quotes, apostrophes, dashes and ellipses while a journalist types in the body editor:
// "word" → “word”, it's → it’s, 'word' → ‘word’, ... → …, " -- " → " – ", " --- " → " — ".
//
// CKEditor's own TextTransformation plugin does this, but django-ckeditor-5's prebuilt bundle leaves
// it out and rebuilding the bundle needs npm. So this is a small plugin of ours that works the same
// way: after each typed character it looks at the text before the caret and replaces what matches,
// in a change of its own, so Ctrl+Z (or Backspace right away) gives back the straight character.
// settings.CKEDITOR_5_CONFIGS loads it with "extraPlugins": ["callback:SmartTypography"], which
// django-ckeditor-5's app.js resolves to this global; every admin with a rich-text field lists this
// file in its Media. Pasted text is left as it is, as CKEditor does.
(function () {
  "use strict";

  // A quote opens at the start of a line or after a space, a bracket, a dash or an opening quote;
  // anywhere else it closes, and a single one after a letter is an apostrophe (it’s, rock ’n’ roll).
  var OPENS_AFTER = "(^|[\\s(\\[{\\u2013\\u2014\\u201c\\u2018])";

  // Each rule: a pattern for the end of the text before the caret, and what each of its groups
  // becomes (null keeps it), as in CKEditor's TextTransformation configuration.
  var RULES = [
    { from: new RegExp(OPENS_AFTER + '(")$'), to: [null, "\u201c"] },
    { from: /(")$/, to: ["\u201d"] },
    { from: new RegExp(OPENS_AFTER + "(')$"), to: [null, "\u2018"] },
    { from: /(')$/, to: ["\u2019"] },
    { from: /(\.\.\.)$/, to: ["\u2026"] },
    { from: /(^| )(--)( )$/, to: [null, "\u2013", null] },
    { from: /(^| )(---)( )$/, to: [null, "\u2014", null] },
  ];

  // The text of the current line up to the caret, from the last non-text item (a picture, a line
  // break) on, with the model range it spans.
  function textBeforeCaret(model, focus) {
    var start = model.createPositionAt(focus.parent, 0);
    var text = "";
    var range = model.createRange(start, focus);
    for (var item of range.getItems()) {
      if (item.is("$textProxy") || item.is("$text")) {
        text += item.data;
      } else {
        start = model.createPositionAfter(item);
        text = "";
      }
    }
    return { text: text, start: start };
  }

  // CKEditor marks Backspace and Delete as typing too, so the change itself tells a keystroke that
  // added a character from one that removed some: without this, deleting back to a straight quote
  // (one the writer has just undone, or one in old text) would convert it again.
  function isOneTypedCharacter(changes) {
    return (
      changes.length === 1 &&
      changes[0].type === "insert" &&
      changes[0].name === "$text" &&
      changes[0].length === 1
    );
  }

  function SmartTypography(editor) {
    var model = editor.model;
    var selection = model.document.selection;

    model.document.on("change:data", function (event, batch) {
      if (!batch.isTyping || batch.isUndo || !batch.isLocal || !selection.isCollapsed) return;
      if (!isOneTypedCharacter(model.document.differ.getChanges())) return;
      var focus = selection.focus;
      if (selection.hasAttribute("code") || focus.parent.is("element", "codeBlock")) return;
      var line = textBeforeCaret(model, focus);
      for (var rule of RULES) {
        var match = rule.from.exec(line.text);
        if (match) {
          replace(line.start, match, rule.to);
          return;
        }
      }
    });

    function replace(lineStart, match, replacements) {
      model.enqueueChange(function (writer) {
        var offset = match.index;
        for (var i = 1; i < match.length; i++) {
          var replacement = replacements[i - 1];
          var from = lineStart.getShiftedBy(offset);
          if (replacement !== null) {
            var range = model.createRange(from, from.getShiftedBy(match[i].length));
            var node = from.textNode || from.nodeAfter;
            model.insertContent(writer.createText(replacement, node.getAttributes()), range);
          }
          offset += (replacement === null ? match[i] : replacement).length;
        }
        // Once this change is done, Backspace undoes it rather than deleting a character.
        model.enqueueChange(function () {
          if (editor.plugins.has("Delete")) editor.plugins.get("Delete").requestUndoOnBackspace();
        });
      });
    }
  }

  window.SmartTypography = SmartTypography;
})();
