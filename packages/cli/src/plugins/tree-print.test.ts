import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTree, tabwriter, treeNode } from './tree-print.ts';

describe('treeprint rendering', () => {
  it('draws kcp tree output', () => {
    const tree = treeNode('root', [
      treeNode('org', [treeNode('team-a', [treeNode('deep')]), treeNode('team-b')]),
      treeNode('other', [treeNode('x')]),
    ]);
    assert.equal(
      renderTree([tree]),
      [
        '.',
        '└── root',
        '    ├── org',
        '    │   ├── team-a',
        '    │   │   └── deep',
        '    │   └── team-b',
        '    └── other',
        '        └── x',
        '',
      ].join('\n'),
    );
  });

  it('keeps the link column of unfinished ancestors at every depth', () => {
    const tree = [
      treeNode('org', [
        treeNode('a'),
        treeNode('b', [treeNode('b1'), treeNode('b2', [treeNode('x'), treeNode('y')])]),
        treeNode('c'),
      ]),
      treeNode('other'),
    ];
    assert.equal(
      renderTree(tree),
      [
        '.',
        '├── org',
        '│   ├── a',
        '│   ├── b',
        '│   │   ├── b1',
        '│   │   └── b2',
        '│   │       ├── x',
        '│   │       └── y',
        '│   └── c',
        '└── other',
        '',
      ].join('\n'),
    );
  });

  it('draws a lone root', () => {
    assert.equal(renderTree([treeNode('root')]), '.\n└── root\n');
  });

  it('draws several top-level branches with mid edges', () => {
    assert.equal(renderTree([treeNode('a', [treeNode('a1')]), treeNode('b')]), '.\n├── a\n│   └── a1\n└── b\n');
  });
});

describe('tabwriter (padding 2)', () => {
  it('aligns tab-terminated cells per column block, counting runes', () => {
    const text = renderTree([treeNode('root\tws=-\tlc=Ready', [treeNode('organization\tws=Ready\tlc=Ready')])]);
    assert.equal(
      tabwriter(text),
      [
        '.',
        // Column 0 is as wide as its widest cell (20 runes) plus 2; column 1 likewise (8 + 2).
        '└── root' + ' '.repeat(14) + 'ws=-' + ' '.repeat(6) + 'lc=Ready',
        '    └── organization' + ' '.repeat(2) + 'ws=Ready' + ' '.repeat(2) + 'lc=Ready',
        '',
      ].join('\n'),
    );
  });

  it('leaves text without tabs alone', () => {
    assert.equal(tabwriter('a\nb\n'), 'a\nb\n');
  });
});
