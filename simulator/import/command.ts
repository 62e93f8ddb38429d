import { parseArgs } from 'node:util';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UsageError, table, type CliIo } from '../cli/io';
import { dayEvents, journalHeader, parseAnonymousBankFile, resolveMapping, type ImportCounts } from './anonymous-bank';
import { writeJournal } from './journal';

export const IMPORT_USAGE = `heatboard import anonymous-bank <file.txt> (--out journal.ndjson [--date yymmdd] | --out-dir DIR) [--mapping types.json]`;

const FORMATS = ['anonymous-bank'];

function formatCounts(c: ImportCounts): string {
	const rows = Object.entries(c.byReason)
		.filter(([, n]) => n > 0)
		.map(([reason, n]) => [reason, String(n)]);
	let text = table(rows) + '\n';
	for (const m of c.malformedLines) text += `  line ${m.line}: ${m.reason}\n`;
	return text;
}

/** Converts a recorded day (or every day of a file) to engine journals, one file per day. */
export async function importCommand(argv: string[], io: CliIo): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: { out: { type: 'string' }, 'out-dir': { type: 'string' }, date: { type: 'string' }, mapping: { type: 'string' } }
	});
	const [format, file] = positionals;
	if (format === undefined || !FORMATS.includes(format))
		throw new UsageError(`unknown format "${format ?? ''}" (known: ${FORMATS.join(', ')})`);
	if (file === undefined) throw new UsageError('missing the input file');
	if (values.date !== undefined && !/^\d{6}$/.test(values.date)) throw new UsageError(`--date: expected yymmdd, got "${values.date}"`);
	if ((values.out === undefined) === (values['out-dir'] === undefined))
		throw new UsageError('give either --out FILE (one day) or --out-dir DIR (a file per day)');
	let mapping;
	if (values.mapping !== undefined) {
		const text = await readFile(resolve(io.cwd, values.mapping), 'utf8');
		try {
			mapping = resolveMapping(JSON.parse(text));
		} catch (err) {
			throw new UsageError(`--mapping ${values.mapping}: ${err instanceof Error ? err.message : String(err)}`);
		}
	}
	const parsed = await parseAnonymousBankFile(resolve(io.cwd, file), {
		...(values.date !== undefined ? { date: values.date } : {}),
		...(mapping ? { mapping } : {})
	});
	const days = [...parsed.days.keys()].sort();
	if (values.out !== undefined) {
		if (days.length !== 1)
			throw new UsageError(
				`--out writes one day, the file has ${days.length} (${days.slice(0, 5).join(', ')}${days.length > 5 ? ', ...' : ''}): add --date yymmdd or use --out-dir`
			);
	}
	const outDir = values['out-dir'] !== undefined ? resolve(io.cwd, values['out-dir']) : undefined;
	if (outDir) await mkdir(outDir, { recursive: true });
	for (const date of days) {
		const events = dayEvents(parsed.days.get(date) ?? [], parsed.counts);
		const path = outDir ? join(outDir, `anonymous-bank-${date}.ndjson`) : resolve(io.cwd, values.out as string);
		await writeJournal(path, journalHeader(date, events, basename(file)), events);
		io.out(`${date}: ${events.length} events -> ${path}\n`);
	}
	io.out(formatCounts(parsed.counts));
	return 0;
}
