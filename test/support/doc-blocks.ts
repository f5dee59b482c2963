/**
 * The `sh` blocks of a Markdown page, as a reader would run them: each command (lines joined
 * where a quote is open or a line ends with `\`), the output the page claims for it (`# → …`
 * lines right after it: fragments separated by `…`, each in the output, in order), and where it
 * is. Comments that do not start with `→` are prose.
 */
export interface DocCommand {
  readonly text: string;
  readonly expect: readonly string[];
  /** The line of the page the command starts on. */
  readonly line: number;
}

export interface DocBlock {
  readonly line: number;
  readonly commands: readonly DocCommand[];
}

/** Is a quote still open at the end of `text` (single or double, shell rules, no heredocs)? */
const openQuote = (text: string): boolean => {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === null && c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      const end = text.indexOf('\n', i);
      if (end < 0) return false;
      i = end;
      continue;
    }
    if (c === '\\' && quote !== "'") {
      i++;
      continue;
    }
    if (quote === null && (c === "'" || c === '"')) quote = c;
    else if (c === quote) quote = null;
  }
  return quote !== null;
};

export const docBlocks = (markdown: string): DocBlock[] => {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```sh\s*$/.test(lines[i] ?? '')) continue;
    const start = i + 1;
    const body: { text: string; line: number }[] = [];
    for (i = start; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++)
      body.push({ text: lines[i] ?? '', line: i + 1 });
    const commands: { text: string; expect: string[]; line: number }[] = [];
    let pending: { text: string; line: number } | null = null;
    for (const { text, line } of body) {
      if (pending) {
        pending.text += `\n${text}`;
      } else if (/^\s*#\s*→/.test(text)) {
        const last = commands.at(-1);
        if (!last) throw new Error(`line ${line}: an expected output with no command before it`);
        last.expect.push(text.replace(/^\s*#\s*→\s*/, ''));
        continue;
      } else if (/^\s*(#.*)?$/.test(text)) {
        continue;
      } else {
        pending = { text, line };
      }
      if (!openQuote(pending.text) && !pending.text.endsWith('\\')) {
        commands.push({ ...pending, expect: [] });
        pending = null;
      }
    }
    if (pending) throw new Error(`line ${pending.line}: a command whose quote never closes`);
    blocks.push({ line: start, commands });
  }
  return blocks;
};

/** Does `output` hold every fragment of the claim, in order (whitespace runs compared as one)? */
export const claimHolds = (output: string, claim: string): boolean => {
  const squash = (s: string) => s.replace(/\s+/g, ' ');
  const text = squash(output);
  let at = 0;
  for (const fragment of claim
    .split('…')
    .map((f) => squash(f).trim())
    .filter(Boolean)) {
    const found = text.indexOf(fragment, at);
    if (found < 0) return false;
    at = found + fragment.length;
  }
  return true;
};
