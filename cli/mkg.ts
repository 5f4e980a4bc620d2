#!/usr/bin/env node
/** The `mkg` command. Config is parsed once here; commands receive it. */
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2), process.env);
