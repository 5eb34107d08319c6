/**
 * Between two steps of a pipeline (post-render, argocd-generate) the next step reads what the one before wrote:
 * an item's reads give its input state, so an edited item is handed on rebased on its written text.
 */
import { describe, expect, it } from 'vitest';
import { Item } from '../../src/krm/item.js';
import { handOff } from '../../src/krm/step-handoff.js';
import { setScalar } from '../../src/krm/yaml-edit.js';

const text = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: a # kept',
  '  labels:',
  '    app: web',
  'data:',
  '  mode: "http"',
].join('\n');

describe('handOff', () => {
  it('gives the next step the edited content through data, read and the header', () => {
    const item = Item.fromText(text, 0);
    item.leading = ['# before a'];
    setScalar(item.node.get('data', true) as never, 'mode', 'https');
    setScalar(item.node.get('metadata', true) as never, 'name', 'b');
    // The item itself keeps reading its input state: what a later step would see without the hand-off.
    expect(item.data.data).toEqual({ mode: 'http' });
    const [next] = handOff([item]) as [Item];
    expect(next.data.data).toEqual({ mode: 'https' });
    expect(next.read(['data', 'mode'])).toBe('https');
    expect(next.name).toBe('b');
    expect(next.changed).toBe(false);
    expect(next.leading).toEqual(['# before a']);
    expect(next.toDocument()).toBe(item.toDocument());
    expect(next.toDocument()).toContain('# kept');
  });

  it('hands on unedited items as they are, and generated ones as input of the next step', () => {
    const untouched = Item.fromText(text, 0);
    expect(untouched.node.get('kind')).toBe('ConfigMap');
    const created = Item.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    const [same, input] = handOff([untouched, created]) as [Item, Item];
    expect(same).toBe(untouched);
    expect(input.generated).toBe(false);
    expect(input.kind).toBe('Secret');
    expect(input.toDocument()).toBe(created.toDocument());
  });
});
