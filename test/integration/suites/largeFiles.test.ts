import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import fc from 'fast-check';
import { parse } from 'jsonc-parser';
import { DocumentTexts } from '../../../src/extension/authoring/documentTexts';
import { isShownInEditor } from '../../../src/extension/authoring/diagnostics';
import { validateDefinition } from '../../../src/core/validation/index';
import { openFile, ourDiagnostics, suiteWorkspace, validDefinition, waitFor } from '../helpers';

/** What our diagnostics should be for the document as it is now: the core's findings placed by the document itself. */
function expectedDiagnostics(document: vscode.TextDocument): string[] {
  return validateDefinition(document.getText())
    .findings.filter(isShownInEditor)
    .map(
      (f) =>
        `${f.code} ${describe(new vscode.Range(document.positionAt(f.range.offset), document.positionAt(f.range.offset + f.range.length)))}`,
    )
    .sort();
}

function shown(document: vscode.TextDocument): string[] {
  return ourDiagnostics(document.uri)
    .map((d) => `${typeof d.code === 'object' ? String(d.code.value) : String(d.code)} ${describe(d.range)}`)
    .sort();
}

function describe(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** A definition over 64 KB (validated on the worker) with CRLF line breaks and findings spread through it. */
function largeDefinition(): string {
  const base = parse(validDefinition()) as { periods: Record<string, unknown>[]; totalPeriods: number };
  const period = base.periods[0] ?? {};
  base.periods = Array.from({ length: 400 }, (_, i) => ({ ...period, refCode: i % 50 === 7 ? 'P1' : `P${i + 1}` }));
  base.totalPeriods = 400;
  return JSON.stringify(base, null, 2).replace(/\n/g, '\r\n');
}

suite('Large files', () => {
  const folder = suiteWorkspace('large-files');

  test('a large CRLF file: diagnostics from the worker sit where the document places them, through keystrokes, a multi-cursor edit, undo and a change of line endings', async () => {
    const text = largeDefinition();
    assert.ok(text.length > 64 * 1024, 'the file goes to the worker');
    const editor = await openFile(folder(), 'large-crlf.milestone.json', text);
    const document = editor.document;
    const settle = (what: string) =>
      waitFor(
        what,
        () => {
          const want = expectedDiagnostics(document);
          return want.length > 0 && JSON.stringify(shown(document)) === JSON.stringify(want);
        },
        30_000,
      );
    await settle('the diagnostics of the opened file');

    // Keystrokes in the middle: a new line and a duplicated refCode move the findings below.
    const middle = document.positionAt(Math.floor(text.length / 2));
    await editor.edit((b) => b.insert(document.lineAt(middle.line).range.end, '\r\n'));
    await settle('the diagnostics after a new line');
    const refCode = document.getText().indexOf('"refCode": "P300"');
    await editor.edit((b) => b.replace(new vscode.Range(document.positionAt(refCode + 12), document.positionAt(refCode + 16)), 'P1'));
    await settle('the diagnostics after a keystroke that adds a finding');

    // One event with several changes (as a multi-cursor edit or a format makes).
    const edit = new vscode.WorkspaceEdit();
    for (const at of [0.2, 0.5, 0.8]) edit.insert(document.uri, document.lineAt(Math.floor(document.lineCount * at)).range.end, ' ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await settle('the diagnostics after a multi-change edit');

    await vscode.commands.executeCommand('undo');
    await settle('the diagnostics after undo');
    await editor.edit((b) => b.setEndOfLine(vscode.EndOfLine.LF));
    await settle('the diagnostics after switching to LF');
  });

  test('the kept text of a document follows every kind of edit, and reads the document whole only when it must', async () => {
    const texts = new DocumentTexts();
    try {
      const editor = await openFile(folder(), 'follow.milestone.json', validDefinition().replace(/\n/g, '\r\n'));
      const document = editor.document;
      assert.equal(texts.text(document), document.getText());
      const reads = texts.reads;
      // Keystrokes: followed from the events, no read.
      for (const ch of ['a', '\r\n', 'é', '😀']) {
        await editor.edit((b) => b.insert(document.positionAt(40), ch));
        assert.equal(texts.text(document), document.getText());
      }
      await editor.edit((b) => b.delete(new vscode.Range(document.positionAt(10), document.positionAt(25))));
      assert.equal(texts.text(document), document.getText());
      assert.equal(texts.reads, reads, 'keystrokes are followed without reading the document');

      // Random edits, several per event, undo and redo: always the document's text.
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.tuple(
              fc.double({ min: 0, max: 1, noNaN: true }),
              fc.nat({ max: 8 }),
              fc.constantFrom('', 'x', '\r\n', '\n', '"k": 1,', '😀'),
            ),
            { minLength: 1, maxLength: 4 },
          ),
          fc.constantFrom('edit', 'undo', 'redo'),
          async (picks, kind) => {
            if (kind === 'edit') {
              const length = document.getText().length;
              const spans = picks
                .map(([at, len, inserted]) => ({ start: Math.floor(at * length), len, inserted }))
                .sort((a, b) => a.start - b.start)
                .filter((s, i, all) => i === 0 || s.start > (all[i - 1]?.start ?? 0) + (all[i - 1]?.len ?? 0) + 2);
              // Apart by more than a line break, so no two ranges touch once placed on the document.
              const edit = new vscode.WorkspaceEdit();
              for (const s of spans)
                edit.replace(
                  document.uri,
                  new vscode.Range(document.positionAt(s.start), document.positionAt(Math.min(length, s.start + s.len))),
                  s.inserted,
                );
              assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
            } else {
              await vscode.commands.executeCommand(kind);
            }
            assert.equal(texts.text(document), document.getText());
          },
        ),
        { numRuns: 40, seed: 20261201 },
      );
      await editor.edit((b) => b.setEndOfLine(vscode.EndOfLine.LF));
      assert.equal(texts.text(document), document.getText(), 'a change of line endings reads the document again');
    } finally {
      texts.dispose();
    }
  });
});
