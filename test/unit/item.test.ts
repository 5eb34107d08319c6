/** An item's input state: what `changed` compares against, however the item was first parsed, and cached reads. */
import { describe, expect, it } from 'vitest';
import { Item } from '../../src/krm/item.js';
import { setScalar } from '../../src/krm/yaml-edit.js';

const text = [
  '- apiVersion: v1',
  '  kind: ConfigMap',
  '  metadata:',
  '    name: a',
  '    labels:',
  '      app: web',
  '  data:',
  '    mode: 0755 # octal in YAML 1.1',
  '    flag: yes',
].join('\n');

describe('Item', () => {
  it('is unchanged when its node is taken but not edited, parsed first by node or by data', () => {
    const byNode = Item.fromText(text, 2);
    expect(byNode.node.get('kind')).toBe('ConfigMap');
    expect(byNode.changed).toBe(false);
    expect(byNode.toEntry(0)).toBe(text);
    const byData = Item.fromText(text, 2);
    expect(byData.data.data).toEqual({ mode: 493, flag: true });
    expect(byData.node.get('kind')).toBe('ConfigMap');
    expect(byData.changed).toBe(false);
    expect(byData.toEntry(0)).toBe(text);
  });

  it('is changed after an edit, and unchanged again when the edit is undone', () => {
    const item = Item.fromText(text, 2);
    const data = item.node.get('data', true) as never;
    setScalar(data, 'flag', false);
    expect(item.changed).toBe(true);
    expect(item.toEntry(0)).toContain('flag: false');
    setScalar(data, 'flag', true);
    expect(item.changed).toBe(false);
    expect(item.toEntry(0)).toBe(text);
  });

  it('compares against the input even when a caller changed the data it was handed', () => {
    const item = Item.fromText(text, 2);
    (item.data.metadata as { name: string }).name = 'changed by a caller';
    expect(item.node.get('kind')).toBe('ConfigMap');
    expect(item.changed).toBe(false);
    expect(item.toEntry(0)).toBe(text);
  });

  it('reads by path once per path, and tells paths apart step by step', () => {
    const item = Item.fromText(text, 2);
    const labels = item.read(['metadata', 'labels']);
    expect(labels).toEqual({ app: 'web' });
    expect(item.read(['metadata', 'labels'])).toBe(labels);
    expect(item.read(['metadata\u0000labels'])).toBeUndefined();
    expect(item.read(['data', 'mode'])).toBe(493);
  });
});

describe('an item with a header key given twice (found by the fuzz suite)', () => {
  it('is named as the last value gives it, on the line path and the parser path alike', () => {
    const text =
      '- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n  metadata:\n    name: cart\n    namespace: shop\n';
    for (const item of [Item.fromText(text, 2), Item.fromParsedText(text, 2)]) {
      expect([item.kind, item.name, item.namespace]).toEqual(['Deployment', 'cart', 'shop']);
      expect(item.parseErrors).toEqual(['Map keys must be unique']);
    }
  });
});
