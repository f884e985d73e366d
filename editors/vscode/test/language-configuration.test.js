// The language configuration as VS Code reads it: a Chinese name is one
// word, `#` comments, and the indentation rules.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');

const configuration = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'language-configuration.json'), 'utf8'),
);

// The words of `text`, found as VS Code finds them (the pattern with `g`).
function words(text) {
  return text.match(new RegExp(configuration.wordPattern, 'g')) ?? [];
}

test('a comment starts with `#`, as in grammar/standard.pest', () => {
  const grammar = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'grammar', 'standard.pest'), 'utf8');
  assert.match(grammar, /^COMMENT = _\{ "#" ~ not_newline\* \}$/m);
  assert.equal(configuration.comments.lineComment, '#');
  assert.equal(configuration.comments.blockComment, undefined);
});

test('a name in Chinese, ASCII or both is one word', () => {
  assert.deepEqual(words('require 綠化率 >= 30% and green_coverage_2 ≥ 0.5'), [
    'require',
    '綠化率',
    '30%',
    'and',
    'green_coverage_2',
    '0.5',
  ]);
  assert.deepEqual(words('辦公區綠化率，備註'), ['辦公區綠化率', '備註']);
  assert.deepEqual(words('甲1 = 2015-12-31'), ['甲1', '2015-12-31']);
  // An ideograph outside the Basic Multilingual Plane (a surrogate pair).
  assert.deepEqual(words('𠀋欄目 x'), ['𠀋欄目', 'x']);
});

test('a line that opens a block indents the next, `}` outdents', () => {
  const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern);
  assert.ok(increase.test('section A "美化辦公環境" {'));
  assert.ok(increase.test('  rule A1 "有密封式垃圾箱(池)" critical {  # 重點'));
  assert.ok(!increase.test('  rule A1 "x" { require a }'));
  assert.ok(!increase.test('  remedy "括號 { 不算"'));
  assert.ok(!increase.test('  # 註釋 {'));
  assert.ok(decrease.test('  }'));
  assert.ok(!decrease.test('  points 4'));
});

test('brackets and quotes close themselves, full-width quotes too', () => {
  const pairs = configuration.autoClosingPairs.map((pair) => pair.open + pair.close);
  for (const pair of ['{}', '()', '[]', '""', '「」', '『』', '“”']) {
    assert.ok(pairs.includes(pair), pair);
  }
});
