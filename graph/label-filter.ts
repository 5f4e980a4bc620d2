import { InvalidArgumentError, InvalidIdError } from '../schema/errors.ts';
import { conceptId } from '../schema/ids.ts';

const LABEL_PREFIX = 'concept:label:';

/**
 * The concept id a `label` filter names, for every store adapter: `dex`, `DEX Router` or a full
 * `concept:label:…` id.
 * @throws InvalidArgumentError when nothing is left of the label after normalisation
 */
export function labelConceptId(label: string): string {
  if (label.startsWith(LABEL_PREFIX)) return label;
  try {
    return conceptId('label', label);
  } catch (error) {
    if (error instanceof InvalidIdError) throw new InvalidArgumentError('label', 'empty after normalisation');
    throw error;
  }
}
