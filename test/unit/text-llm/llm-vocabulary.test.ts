import { describe, expect, it } from 'vitest';
import { mapEventRelation, mapKind, mapPredicate, mapRole } from '../../../extraction/text/llm/llm-vocabulary.ts';

describe('llm vocabulary', () => {
  it('maps kinds, synonyms and plurals; never Concept; null otherwise', () => {
    expect(['company', 'DEX', 'wallet', 'Blockchain', 'stablecoins', 'token'].map(mapKind)).toEqual(['Organization', 'Protocol', 'Account', 'Chain', 'Token', 'Token']);
    expect(mapKind('Concept')).toBeNull();
    expect(mapKind('programming language')).toBeNull();
  });
  it('maps predicates, passives reversed, canonical names as is; null for the unknown', () => {
    expect(mapPredicate('was drained by')).toEqual({ type: 'EXPLOITED', reversed: true });
    expect(mapPredicate('deployed on')).toEqual({ type: 'ON_CHAIN', reversed: false });
    expect(mapPredicate('deployed')).toEqual({ type: 'DEPLOYED', reversed: false });
    expect(mapPredicate('is listed on')).toEqual({ type: 'LISTED_ON', reversed: false });
    expect(mapPredicate('bridged funds to')).toEqual({ type: 'TRANSFERRED_TO', reversed: false });
    expect(mapPredicate('HOLDS')).toEqual({ type: 'HOLDS', reversed: false });
    expect(mapPredicate('SAME_AS')).toBeNull();
    expect(mapPredicate('praised')).toBeNull();
  });
  it('maps roles and event relations to the closed sets', () => {
    expect(['hacker', 'destination', 'attack contract', 'victim', 'cargo'].map(mapRole)).toEqual(['attacker', 'to', 'attack_contract', 'victim', null]);
    expect(mapEventRelation('caused by')).toEqual({ type: 'CAUSES', reversed: true });
    expect(mapEventRelation('same time')).toEqual({ type: 'SAME_TIME', reversed: false });
    expect(mapEventRelation('RELATED_TO')).toBeNull();
  });
});
