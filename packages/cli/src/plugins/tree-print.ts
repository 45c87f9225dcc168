/**
 * Text rendering for `kubectl ws tree`, byte-for-byte like kcp's: xlab/treeprint for the tree (root line `.`, then
 * `├── `/`└── ` edges and `│   `/four-space indentation per level) and Go's text/tabwriter (minwidth 0, padding 2,
 * space padding) for `--wide`, whose labels carry tab-separated columns.
 */

export interface TreeNode {
  readonly label: string;
  readonly children: TreeNode[];
}

export function treeNode(label: string, children: TreeNode[] = []): TreeNode {
  return { label, children };
}

const EDGE_LINK = '│';
const EDGE_MID = '├──';
const EDGE_END = '└──';
const INDENT = 3;

/**
 * treeprint's `String()` of a tree whose root value is `.` (treeprint.New()) and whose top-level branches are `roots`.
 * Every line ends in a newline, the last one included.
 */
export function renderTree(roots: readonly TreeNode[]): string {
  const lines: string[] = ['.'];
  // `ended[level]` is true when the ancestor at that level was the last of its siblings: no `│` below it.
  const walk = (nodes: readonly TreeNode[], ended: boolean[]): void => {
    nodes.forEach((node, i) => {
      const last = i === nodes.length - 1;
      const prefix = ended.map((e) => (e ? ' '.repeat(INDENT + 1) : EDGE_LINK + ' '.repeat(INDENT))).join('');
      lines.push(`${prefix}${last ? EDGE_END : EDGE_MID} ${indentContinuation(node.label, ended, last)}`);
      if (node.children.length > 0) walk(node.children, [...ended, last]);
    });
  };
  walk(roots, []);
  return lines.join('\n') + '\n';
}

/** treeprint pads the continuation lines of a multi-line value so the tree's links stay connected. */
function indentContinuation(label: string, ended: readonly boolean[], last: boolean): string {
  const lines = label.split('\n');
  if (lines.length < 2) return label;
  const pad = [...ended, last].map((e) => (e ? ' '.repeat(INDENT + 1) : EDGE_LINK + ' '.repeat(INDENT))).join('');
  return lines.map((line, i) => (i === 0 ? line : pad + line)).join('\n');
}

/**
 * Go's text/tabwriter with (minwidth 0, tabwidth 0, padding 2, padchar ' ', flags 0): tab-terminated cells are
 * aligned per column block (consecutive lines that have a cell in that column); the text after a line's last tab is
 * not part of any column. Widths count runes, as tabwriter does for UTF-8 text.
 */
export function tabwriter(text: string, padding = 2): string {
  const trailingNewline = text.endsWith('\n');
  const rows = (trailingNewline ? text.slice(0, -1) : text).split('\n').map((line) => line.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];
  // Go's tabwriter measures cells in runes (code points), not UTF-16 units: `│` and `└──` are one column each.
  const runeLength = (s: string): number => {
    let n = 0;
    for (const _ of s) n++;
    return n;
  };

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = rows[i] ?? [];
      let line = '';
      cells.forEach((cell, j) => {
        const width = widths[j];
        line += j < cells.length - 1 && width !== undefined ? cell + ' '.repeat(width - runeLength(cell)) : cell;
      });
      out.push(line);
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let row = line0; row < line1; row++) {
      if (column >= (rows[row]?.length ?? 0) - 1) continue;
      writeLines(start, row);
      start = row;
      let width = 0;
      for (; row < line1; row++) {
        const cells = rows[row] ?? [];
        if (column >= cells.length - 1) break;
        width = Math.max(width, runeLength(cells[column] ?? '') + padding);
      }
      widths.push(width);
      format(start, row);
      widths.pop();
      // The line that ended the block has no cell in this column, so the loop's increment may skip it (as Go's does).
      start = row;
    }
    writeLines(start, line1);
  };

  format(0, rows.length);
  return out.join('\n') + (trailingNewline ? '\n' : '');
}
