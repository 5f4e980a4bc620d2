import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InvalidArgumentError } from '../schema/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with its errors turned into our INVALID_ARGUMENT errors. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new InvalidArgumentError('command line', (error as Error).message);
  }
}

export function parseIntOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`--${name}`, `"${value}" is not an integer from ${min} to ${max}`);
  }
  return n;
}
